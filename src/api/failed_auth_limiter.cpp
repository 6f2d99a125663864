// See failed_auth_limiter.hpp.
#include "api/failed_auth_limiter.hpp"

#include <cassert>

namespace utxoiq::api {

FailedAuthLimiter::FailedAuthLimiter(FailedAuthLimits limits) : limits_(limits) {
  assert(limits_.limit >= 1 && limits_.max_addresses >= 1);
}

void FailedAuthLimiter::forget_old(std::deque<Clock::time_point>& times,
                                   Clock::time_point now) const {
  while (!times.empty() && times.front() <= now - limits_.window) times.pop_front();
}

std::optional<long long> FailedAuthLimiter::blocked(const std::string& address,
                                                    Clock::time_point now) {
  const auto found = failures_.find(address);
  if (found == failures_.end()) return std::nullopt;
  auto& times = found->second;
  forget_old(times, now);
  if (times.size() < limits_.limit) return std::nullopt;
  // Free again when the oldest failure of the window leaves it.
  const auto wait = times.front() + limits_.window - now;
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
  return seconds < 1 ? 1 : seconds;
}

void FailedAuthLimiter::record_failure(const std::string& address, Clock::time_point now) {
  auto [entry, inserted] = failures_.try_emplace(address);
  if (inserted) {
    arrival_.push_back(address);
    while (failures_.size() > limits_.max_addresses) {
      failures_.erase(arrival_.front());
      arrival_.pop_front();
    }
    entry = failures_.find(address);
    assert(entry != failures_.end());
  }
  auto& times = entry->second;
  forget_old(times, now);
  times.push_back(now);
  // A blocked address is refused before it can fail again, so the log stays near the limit.
  while (times.size() > limits_.limit) times.pop_front();
}

}  // namespace utxoiq::api
