// libpg_query calls for StatementIdentity (see statement_fingerprint.hpp).
#include "pg/statement_fingerprint.hpp"

#include <pg_query.h>

#include <cassert>
#include <cstdio>

namespace utxoiq::pg {

std::string fingerprint_hex(std::uint64_t fingerprint) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(fingerprint));
  return text;
}

StatementIdentity identify_statement(std::string_view sql) {
  const std::string text(sql);  // libpg_query wants a NUL-terminated string
  StatementIdentity identity;
  PgQueryFingerprintResult fingerprint = pg_query_fingerprint(text.c_str());
  const bool parsed = fingerprint.error == nullptr;
  identity.fingerprint = parsed ? fingerprint.fingerprint : std::hash<std::string>{}(text);
  pg_query_free_fingerprint_result(fingerprint);
  if (parsed) {
    PgQueryNormalizeResult normalized = pg_query_normalize(text.c_str());
    identity.normalized = normalized.error ? text : normalized.normalized_query;
    pg_query_free_normalize_result(normalized);
  } else {
    identity.normalized = "(unparsable statement)";
  }
  identity.id = fingerprint_hex(identity.fingerprint);
  return identity;
}

FingerprintCache::FingerprintCache(std::size_t max_entries) : max_entries_(max_entries) {}

const StatementIdentity& FingerprintCache::get(std::string_view sql) {
  if (auto found = entries_.find(sql); found != entries_.end()) return found->second;
  if (entries_.size() >= max_entries_) {
    uncached_ = identify_statement(sql);
    return uncached_;
  }
  auto [inserted, fresh] = entries_.emplace(std::string(sql), identify_statement(sql));
  assert(fresh);
  return inserted->second;
}

}  // namespace utxoiq::pg
