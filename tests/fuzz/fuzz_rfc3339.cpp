// Fuzz target: RFC 3339 and PostgreSQL timestamp parsing. Any text either fails to parse or
// gives a time that formats and parses back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "util/rfc3339.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto t = utxoiq::parse_rfc3339(text)) {
    if (utxoiq::parse_rfc3339(utxoiq::format_rfc3339(*t)) != t) std::abort();
  }
  if (const auto t = utxoiq::parse_pg_timestamptz(text)) {
    if (utxoiq::parse_pg_timestamptz(utxoiq::format_pg_timestamptz(*t)) != t) std::abort();
  }
  return 0;
}
