// The failed-authentication script; see redis_failure_counts.hpp.
#include "cache/redis_failure_counts.hpp"

#include <chrono>
#include <vector>

#include "cache/cache_keys.hpp"
#include "cache/internal/redis_script.hpp"
#include "cache/redis_client.hpp"
#include "obs/logging.hpp"
#include "util/uuid.hpp"

namespace utxoiq::cache {
namespace {

// KEYS[1] the address's log (sorted set: member -> failure time, us).
// ARGV[1] window us, ARGV[2] limit, ARGV[3] unique member, ARGV[4] now in us ("" = server TIME).
// -> {failures in (now - window, now) before this one, us until fewer than the limit remain in the
// window with this one counted (0 while under the limit)}.
const RedisScript kCountFailure(R"lua(
local now
if ARGV[4] ~= '' then
  now = tonumber(ARGV[4])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local before = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(limit + 1))
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
local wait = 0
if before + 1 >= limit then
  wait = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]) + window - now
end
return {before, wait}
)lua");

std::int64_t microseconds_since_epoch(resilience::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

RedisFailureCounts::RedisFailureCounts(RedisClient& redis, RedisFailureCountsOptions options)
    : redis_(redis),
      options_(std::move(options)),
      member_prefix_(
          (options_.instance_id.empty() ? new_uuid_v7().to_string() : options_.instance_id) + ":") {
}

Task<std::optional<FailureCount>> RedisFailureCounts::add(const std::string& address) {
  const bool usable = redis_.state() == RedisState::up &&
                      redis_.breaker().state() != resilience::BreakerState::open;
  if (!usable) co_return std::nullopt;
  const std::vector<std::string> keys{options_.key_prefix + "authfail:" + escape_key_part(address)};
  const auto window_us =
      std::chrono::duration_cast<std::chrono::microseconds>(options_.limits.window).count();
  const std::vector<std::string> args{
      std::to_string(window_us), std::to_string(options_.limits.limit),
      member_prefix_ + std::to_string(++sequence_),
      options_.redis_clock ? std::to_string(microseconds_since_epoch(options_.redis_clock()))
                           : std::string()};
  try {
    const RedisReply reply = co_await kCountFailure.run(redis_, keys, args);
    if (reply.is_array() && reply.elements.size() == 2 && reply.elements[0].as_integer() &&
        reply.elements[1].as_integer() && *reply.elements[0].as_integer() >= 0 &&
        *reply.elements[1].as_integer() >= 0) {
      co_return FailureCount{
          .before = static_cast<std::uint32_t>(*reply.elements[0].as_integer()),
          .blocked_for = std::chrono::microseconds(*reply.elements[1].as_integer())};
    }
    obs::log_warn("failed-auth limiter: unexpected reply from Redis; using the in-process count",
                  {{"reply", reply.describe().substr(0, 200)}});
  } catch (const std::exception& e) {
    obs::log_debug("failed-auth limiter: Redis unavailable; using the in-process count",
                   {{"error", e.what()}});
  }
  errors_.fetch_add(1, std::memory_order_relaxed);
  co_return std::nullopt;
}

}  // namespace utxoiq::cache
