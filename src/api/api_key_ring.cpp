// See api_key_ring.hpp.
#include "api/api_key_ring.hpp"

#include "util/constant_time.hpp"

namespace utxoiq::api {

bool ApiKeyRing::ConstantTimeEqual::operator()(const std::string& a, const std::string& b) const {
  return constant_time_equal(a, b);
}

void ApiKeyRing::replace(const std::vector<store::ActiveApiKey>& keys) {
  decltype(keys_) fresh;
  fresh.reserve(keys.size());
  for (const auto& key : keys) {
    const auto role = http::parse_role(key.role);
    if (!role) continue;
    fresh.insert_or_assign(key.key_hash, http::Principal{key.id.to_string(), *role});
  }
  keys_ = std::move(fresh);
}

void ApiKeyRing::add(const store::ActiveApiKey& key) {
  const auto role = http::parse_role(key.role);
  if (!role) return;
  keys_.insert_or_assign(key.key_hash, http::Principal{key.id.to_string(), *role});
  misses_.erase(key.key_hash);
}

std::optional<http::Principal> ApiKeyRing::find(std::string_view key_hash) const {
  const auto it = keys_.find(std::string(key_hash));
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

bool ApiKeyRing::may_look_up(std::string_view key_hash, Clock::time_point now) {
  if (const auto it = misses_.find(std::string(key_hash)); it != misses_.end()) {
    if (now - it->second < options_.negative_ttl) return false;
    misses_.erase(it);
  }
  if (now - budget_window_ >= std::chrono::seconds(1)) {
    budget_window_ = now;
    budget_used_ = 0;
  }
  if (budget_used_ >= options_.max_lookups_per_second) return false;
  ++budget_used_;
  return true;
}

void ApiKeyRing::note_miss(std::string_view key_hash, Clock::time_point now) {
  if (misses_.size() >= options_.max_negative) {
    std::erase_if(misses_,
                  [&](const auto& entry) { return now - entry.second >= options_.negative_ttl; });
    if (misses_.size() >= options_.max_negative) misses_.clear();
  }
  misses_.insert_or_assign(std::string(key_hash), now);
}

void ApiKeyRing::mark_used(const std::string& key_id) {
  used_.insert(key_id);
}

std::vector<std::string> ApiKeyRing::take_used() {
  std::vector<std::string> ids(used_.begin(), used_.end());
  used_.clear();
  return ids;
}

}  // namespace utxoiq::api
