#pragma once
// The rate limiter shared by every instance: a sliding window per API key
// (default 100 per minute) and one across all keys (default 10,000 per minute), both checked and
// counted in ONE Lua script, so two instances can never both take the last slot. The same exact
// sliding log as the in-process limiter (sliding_window_limiter.hpp): a sorted set of admission
// times per key and one global, trimmed to the window, so no interval of one window ever holds
// more than the limit, across all instances together. Times come from the Redis server's clock
// (TIME), the one clock every instance shares.
//
// Redis unavailable (disabled, down, circuit open, no reply): the in-process limiter with the same
// limits decides instead, per instance — never unlimited. Every admission Redis makes is also
// counted in process, so the fallback starts from what this instance admitted in the last window;
// and for one window after the last in-process decision a request must pass both limiters, since
// Redis never saw what the fallback admitted. So one instance never admits more than the limit in
// any window, across outages. Several instances during an outage each decide alone: together
// they may admit up to (instances x limit) in that window, never unlimited.
//
// Keys: {prefix}ratelimit:key:{api key id}, {prefix}ratelimit:global; they expire one window after
// their last admission.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "cache/rate_limiter.hpp"
#include "resilience/clock.hpp"
#include "resilience/sliding_window_limiter.hpp"

namespace utxoiq::cache {

class RedisClient;

struct DistributedRateLimiterOptions {
  resilience::SlidingWindowLimiterOptions limits;  // window and limits, for Redis and fallback
  std::string key_prefix;                          // "" in production
  std::string instance_id;  // makes log entries unique across instances; empty: a new UUIDv7
  // Empty: the windows run on the Redis server's clock (production). Set: this clock's time is
  // sent with every call instead (tests drive the window by hand, on a real server).
  resilience::NowFn redis_clock;
  resilience::NowFn fallback_clock = resilience::steady_now;
};

struct DistributedRateLimiterCounters {
  std::uint64_t redis_decisions = 0;
  std::uint64_t fallback_decisions = 0;
  std::uint64_t redis_errors = 0;  // calls that fell back after trying Redis
};

class DistributedRateLimiter : public RateLimiter {
 public:
  // `redis` must outlive the limiter; a disabled client means "always the fallback".
  DistributedRateLimiter(RedisClient& redis, DistributedRateLimiterOptions options);

  Task<resilience::RateLimitDecision> acquire(std::string key, bool admin) override;

  DistributedRateLimiterCounters counters() const;
  resilience::SlidingWindowLimiter& fallback() { return fallback_; }
  const DistributedRateLimiterOptions& options() const { return options_; }

 private:
  // The in-process decision (Redis unusable), which starts the window of checking both.
  resilience::RateLimitDecision decide_in_process(const std::string& key);
  // Counts a decision made in process and (re)starts the window of checking both.
  void note_in_process_decision();
  // Redis's decision; nullopt when Redis gave none.
  Task<std::optional<resilience::RateLimitDecision>> decide_in_redis(const std::string& key);

  RedisClient& redis_;
  const DistributedRateLimiterOptions options_;
  resilience::SlidingWindowLimiter fallback_;
  const std::string member_prefix_;
  std::uint64_t sequence_ = 0;
  resilience::TimePoint recovering_until_{};  // fallback clock; used from the loop thread only
  std::atomic<std::uint64_t> redis_decisions_{0};
  std::atomic<std::uint64_t> fallback_decisions_{0};
  std::atomic<std::uint64_t> redis_errors_{0};
};

}  // namespace utxoiq::cache
