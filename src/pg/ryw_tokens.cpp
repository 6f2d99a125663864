// Read-your-writes tokens merged as the maximum per key; see ryw_tokens.hpp.
#include "pg/ryw_tokens.hpp"

#include <algorithm>

namespace utxoiq::pg {

void RywTokens::record(const std::string& key, Lsn lsn) {
  const auto [it, added] = tokens_.try_emplace(key, lsn);
  if (added) return;
  it->second = it->second == kUnknownToken ? lsn : std::max(it->second, lsn);
}

void RywTokens::record_unknown(const std::string& key) {
  tokens_[key] = kUnknownToken;
}

void RywTokens::learn(const std::string& key, Lsn lsn) {
  const auto [it, added] = tokens_.try_emplace(key, lsn);
  if (!added) it->second = std::max(it->second, lsn);  // unknown is the maximum: it stays
}

std::optional<Lsn> RywTokens::token(const std::string& key) const {
  const auto it = tokens_.find(key);
  if (it == tokens_.end()) return std::nullopt;
  return it->second;
}

}  // namespace utxoiq::pg
