#pragma once
// Rules for the text fields of the API: a length range in Unicode code points (api.md: "Lengths in
// characters count Unicode code points, not bytes") and, for names, an ASCII character set.
// Every text must be valid UTF-8 without NUL characters: PostgreSQL text cannot hold U+0000, and
// rejecting it here makes it a 422 rather than a database error.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace utxoiq::domain {

enum class Charset {
  any,
  lower_identifier,  // [a-z0-9_]            (job_type)
  metric_name,       // [A-Za-z0-9_.:-]      (service_name, metric_type)
};

struct TextRule {
  std::size_t min_chars = 0;
  std::size_t max_chars = 0;
  Charset charset = Charset::any;
};

// nullopt when `text` satisfies `rule`, else the message for the client.
std::optional<std::string> check_text(std::string_view text, const TextRule& rule);

}  // namespace utxoiq::domain
