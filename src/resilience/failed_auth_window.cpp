// See failed_auth_window.hpp.
#include "resilience/failed_auth_window.hpp"

#include <cassert>

namespace utxoiq::resilience {

FailedAuthWindow::FailedAuthWindow(FailedAuthLimits limits) : limits_(limits) {
  assert(limits_.limit >= 1 && limits_.max_addresses >= 1 && limits_.window > Duration::zero());
}

void FailedAuthWindow::forget_old(std::deque<TimePoint>& times, TimePoint now) const {
  while (!times.empty() && times.front() <= now - limits_.window) times.pop_front();
}

std::optional<std::int64_t> FailedAuthWindow::blocked(const std::string& address, TimePoint now) {
  const auto found = failures_.find(address);
  if (found == failures_.end()) return std::nullopt;
  auto& times = found->second;
  forget_old(times, now);
  if (times.size() < limits_.limit) return std::nullopt;
  // Free again when the oldest failure of the window leaves it.
  const std::int64_t seconds = ceil_seconds(times.front() + limits_.window - now);
  return seconds < 1 ? 1 : seconds;
}

std::optional<TimePoint> FailedAuthWindow::record_failure(const std::string& address,
                                                          TimePoint now) {
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
  // Only the newest `limit` failures can decide anything (the oldest of them frees the address).
  while (times.size() > limits_.limit) times.pop_front();
  assert(times.size() <= limits_.limit);
  // blocked()'s rule: `limit` failures in the window, free when the oldest of them leaves it.
  if (times.size() < limits_.limit) return std::nullopt;
  return times.front() + limits_.window;
}

}  // namespace utxoiq::resilience
