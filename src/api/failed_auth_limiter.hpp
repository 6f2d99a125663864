#pragma once
// Failed authentication is limited per client address: after `limit` failures (no key, an unknown
// or revoked key) within `window`, every request of that address to a route that needs a key gets
// 429 with Retry-After — before its key is even looked at, so guessing keys from one address goes
// no faster than `limit` per window, and a right guess is not told apart from a wrong one while
// blocked. Successful requests are not counted. In process (per instance) and bounded: at most
// `max_addresses` addresses are tracked; past that the oldest entries are dropped, which can only
// make the limit more lenient, never lock anyone out. One thread (the event loop) uses it.
#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

namespace utxoiq::api {

struct FailedAuthLimits {
  std::size_t limit = 20;  // failures per window and address
  std::chrono::steady_clock::duration window = std::chrono::minutes(1);
  std::size_t max_addresses = 100'000;
};

class FailedAuthLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit FailedAuthLimiter(FailedAuthLimits limits = {});

  // Whole seconds (>= 1) until `address` may try again, or nullopt when it may try now.
  std::optional<long long> blocked(const std::string& address,
                                   Clock::time_point now = Clock::now());
  // Counts a failed authentication of `address`.
  void record_failure(const std::string& address, Clock::time_point now = Clock::now());
  std::size_t tracked_addresses() const { return failures_.size(); }

 private:
  void forget_old(std::deque<Clock::time_point>& times, Clock::time_point now) const;

  FailedAuthLimits limits_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
  std::deque<std::string> arrival_;  // addresses in the order they were first tracked
};

}  // namespace utxoiq::api
