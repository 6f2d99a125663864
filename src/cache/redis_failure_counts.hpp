#pragma once
// The failed-authentication count shared by every process and instance: one sorted set per client
// address in Redis, {prefix}authfail:{address}, its members the failures of the last window (time
// in us as the score), trimmed to the newest `limit` and expiring one window after the last
// failure. Counting and reading are one Lua script, so two processes never both see the count
// below the limit for the same slot. The same log as the in-process FailedAuthWindow (the script
// is tested to decide as it does). Times come from the Redis server's clock (TIME), the one clock
// every instance shares.
//
// Unavailable (Redis disabled, down, its circuit open, or no usable reply): add() counts nothing
// and answers nullopt at once, without waiting on a connection that is not there.
#include <atomic>
#include <cstdint>
#include <string>

#include "cache/failure_counts.hpp"
#include "resilience/clock.hpp"
#include "resilience/failed_auth_window.hpp"

namespace utxoiq::cache {

class RedisClient;

struct RedisFailureCountsOptions {
  resilience::FailedAuthLimits limits;  // limit and window (max_addresses is not used here)
  std::string key_prefix;               // "" in production
  std::string instance_id;              // makes members unique across processes; empty: UUIDv7
  // Empty: the Redis server's clock (production). Set: this clock's time is sent instead (tests).
  resilience::NowFn redis_clock;
};

class RedisFailureCounts : public FailureCounts {
 public:
  // `redis` must outlive this.
  RedisFailureCounts(RedisClient& redis, RedisFailureCountsOptions options);

  Task<std::optional<FailureCount>> add(const std::string& address) override;

  std::uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }

 private:
  RedisClient& redis_;
  const RedisFailureCountsOptions options_;
  const std::string member_prefix_;
  std::uint64_t sequence_ = 0;
  std::atomic<std::uint64_t> errors_{0};  // calls that tried Redis and got no usable reply
};

}  // namespace utxoiq::cache
