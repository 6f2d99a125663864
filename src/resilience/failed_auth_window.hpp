#pragma once
// The in-process log of failed authentications per client address: after `limit` failures (no
// key, an unknown or revoked key) within `window`, the address is blocked until the oldest of them
// leaves the window. It is this process's own count: the fallback of the shared count in Redis
// (cache/distributed_failed_auth_limiter.hpp) and the reference model the Redis script is tested
// against. Bounded: at most `max_addresses` addresses are tracked; past that the oldest entries
// are dropped, which can only make the limit more lenient, never lock anyone out. Pure (time is
// passed in); one thread (the event loop) uses it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "resilience/clock.hpp"

namespace utxoiq::resilience {

struct FailedAuthLimits {
  std::size_t limit = 20;  // failures per window and address, >= 1
  Duration window = std::chrono::minutes(1);
  std::size_t max_addresses = 100'000;  // >= 1
};

class FailedAuthWindow {
 public:
  explicit FailedAuthWindow(FailedAuthLimits limits = {});

  // Whole seconds (>= 1) until `address` may try again, or nullopt when it may try now.
  std::optional<std::int64_t> blocked(const std::string& address, TimePoint now);
  // Counts a failed authentication of `address`. Returns when its block ends (blocked() answers
  // until then) when this failure leaves it blocked, else nullopt.
  std::optional<TimePoint> record_failure(const std::string& address, TimePoint now);
  std::size_t tracked_addresses() const { return failures_.size(); }
  const FailedAuthLimits& limits() const { return limits_; }

 private:
  void forget_old(std::deque<TimePoint>& times, TimePoint now) const;

  FailedAuthLimits limits_;
  std::unordered_map<std::string, std::deque<TimePoint>> failures_;
  std::deque<std::string> arrival_;  // addresses in the order they were first tracked
};

}  // namespace utxoiq::resilience
