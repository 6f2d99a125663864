#pragma once
// A statement's identity for statistics: libpg_query's fingerprint (equal for the same statement
// whatever its literal values, different for different statements) and its normalized text
// (literals replaced by $n, so no value of a request is ever kept or shown). Parsing costs
// microseconds, so FingerprintCache remembers the identity per SQL text: the service's statements
// are a few constant texts with $n parameters, and a hot one is parsed once.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace utxoiq::pg {

struct StatementIdentity {
  std::uint64_t fingerprint = 0;
  std::string id;          // the fingerprint as 16 hex digits
  std::string normalized;  // literals replaced by $n
};

// Text libpg_query cannot parse (not SQL PostgreSQL 15 accepts) gets a hash of its text as
// fingerprint and "(unparsable statement)" as text, since its literals cannot be told apart.
StatementIdentity identify_statement(std::string_view sql);
std::string fingerprint_hex(std::uint64_t fingerprint);  // 16 hex digits

class FingerprintCache {
 public:
  explicit FingerprintCache(std::size_t max_entries = 1024);

  // Past max_entries distinct texts, a new text is identified again at every call (correct, only
  // slower): the cache never grows without bound on ad-hoc SQL. Not thread-safe.
  const StatementIdentity& get(std::string_view sql);
  std::size_t size() const { return entries_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::size_t max_entries_;
  std::unordered_map<std::string, StatementIdentity, Hash, std::equal_to<>> entries_;
  StatementIdentity uncached_;
};

}  // namespace utxoiq::pg
