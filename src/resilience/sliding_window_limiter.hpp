#pragma once
// In-process sliding-window rate limiter: a per-key limit (default 100 per minute per API key) and
// a global limit across all keys (default 10,000 per minute), checked together. It is the fallback
// when Redis is unavailable and the reference model the Redis limiter is tested against.
//
// Algorithm: a sliding LOG (the admission times of the last window), not an approximation. A
// request at time t is admitted only if fewer than `limit` requests were admitted in (t - window,
// t] for its key and fewer than `global_limit` in that interval overall; so no interval of length
// `window` anywhere in time ever holds more than the limit. A refused request is not recorded.
// Memory is the log itself: at most per_key_limit timestamps per key seen in the last window, at
// most global_limit in total; keys idle for a window are pruned.
//
// Our own code: the semantics (both limits atomically, admin bypass not counted, integer reset
// seconds) are the API's, no packaged library matches them, and the logic is a few dozen lines.
// Pure: no I/O; time comes from the injected clock. Thread-safe: per-key logs live in shards, each
// with its own mutex; the global log has one mutex, taken inside the shard's (always in that
// order).
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "resilience/clock.hpp"

namespace utxoiq::resilience {

struct SlidingWindowLimiterOptions {
  Duration window = std::chrono::minutes(1);
  std::uint32_t per_key_limit = 100;    // >= 1
  std::uint32_t global_limit = 10'000;  // >= 1
  std::size_t shards = 16;              // >= 1
};

// What the HTTP layer needs for RateLimit-* headers and a 429.
struct RateLimitDecision {
  bool allowed = false;
  bool bypassed = false;        // an admin: not limited, not counted, no headers to send
  std::uint32_t limit = 0;      // the per-key limit (RateLimit-Limit)
  std::uint32_t remaining = 0;  // requests this key may still make now (0 when refused)
  // Whole seconds until `remaining` next grows (RateLimit-Reset): >= 1 for every non-admin
  // decision, equal to retry_after_seconds when refused. 0 for admins.
  std::int64_t reset_seconds = 0;
  // Whole seconds, rounded up, until a request of this key would be admitted if nothing else
  // arrived (Retry-After): >= 1 when refused, 0 when allowed.
  std::int64_t retry_after_seconds = 0;
};

struct RateLimiterCounters {
  std::uint64_t allowed = 0;
  std::uint64_t limited_per_key = 0;  // refused because the key's limit was reached
  std::uint64_t limited_global = 0;   // refused because only the global limit was reached
  std::uint64_t bypassed = 0;         // admin requests
};

class SlidingWindowLimiter {
 public:
  // Throws std::invalid_argument for a non-positive window or zero limits/shards.
  explicit SlidingWindowLimiter(SlidingWindowLimiterOptions options = {}, NowFn now = steady_now);
  SlidingWindowLimiter(const SlidingWindowLimiter&) = delete;
  SlidingWindowLimiter& operator=(const SlidingWindowLimiter&) = delete;

  // Decides one request of `key` and, when it is admitted, counts it toward both limits. `admin`
  // requests are always admitted and counted toward neither.
  RateLimitDecision acquire(std::string_view key, bool admin = false);

  // Drops the logs of keys with no request in the last window; returns how many were dropped.
  // Also done by acquire() itself, once per window per shard, so calling this is optional.
  std::size_t prune();
  // Keys currently holding a log (for tests and metrics).
  std::size_t tracked_keys() const;
  RateLimiterCounters counters() const;
  const SlidingWindowLimiterOptions& options() const { return options_; }

 private:
  using Ticks = Duration::rep;  // times are kept as steady-clock ticks
  // Lets the maps be searched with a string_view, without building a std::string per request.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept {
      return std::hash<std::string_view>{}(key);
    }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::deque<Ticks>, KeyHash, std::equal_to<>> logs;
    Ticks next_sweep = 0;
  };

  Shard& shard_for(std::string_view key);
  Ticks now_under_global_lock();
  void drop_old(std::deque<Ticks>& log, Ticks now) const;
  std::size_t sweep_locked(Shard& shard, Ticks now);

  const SlidingWindowLimiterOptions options_;
  const NowFn now_;
  const Ticks window_;
  std::vector<std::unique_ptr<Shard>> shards_;

  std::mutex global_mutex_;
  std::deque<Ticks> global_log_;
  Ticks last_now_ = 0;

  std::atomic<std::uint64_t> allowed_{0};
  std::atomic<std::uint64_t> limited_per_key_{0};
  std::atomic<std::uint64_t> limited_global_{0};
  std::atomic<std::uint64_t> bypassed_{0};
};

}  // namespace utxoiq::resilience
