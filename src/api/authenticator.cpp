// See authenticator.hpp.
#include "api/authenticator.hpp"

#include <exception>

#include "domain/api_key.hpp"

namespace utxoiq::api {

Task<std::optional<http::Principal>> Authenticator::authenticate(std::string_view presented_key) {
  if (presented_key.empty() || presented_key.size() > domain::kMaxApiKeyLength) {
    co_return std::nullopt;
  }
  const std::string hash = domain::api_key_hash(presented_key);
  auto principal = ring_.find(hash);
  if (!principal && ring_.may_look_up(hash, ApiKeyRing::Clock::now())) {
    if (const auto key = co_await directory_.find_active(hash)) {
      ring_.add(*key);
      principal = ring_.find(hash);
    } else {
      ring_.note_miss(hash, ApiKeyRing::Clock::now());
    }
  }
  if (principal) ring_.mark_used(principal->key_id);
  co_return principal;
}

Task<void> Authenticator::refresh() {
  const auto keys = co_await directory_.load_active();
  ring_.replace(keys);
}

Task<void> Authenticator::flush_usage() {
  const std::vector<std::string> used = ring_.take_used();
  if (used.empty()) co_return;
  std::vector<Uuid> ids;
  ids.reserve(used.size());
  for (const auto& text : used) {
    if (const auto id = Uuid::parse(text)) ids.push_back(*id);
  }
  std::exception_ptr error;
  try {
    co_await directory_.record_use(ids, now_utc());
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    for (const auto& id : used) ring_.mark_used(id);
    std::rethrow_exception(error);
  }
}

}  // namespace utxoiq::api
