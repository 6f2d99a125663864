// The sliding-window script and its fallback; see distributed_rate_limiter.hpp.
#include "cache/distributed_rate_limiter.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "cache/cache_keys.hpp"
#include "cache/internal/redis_script.hpp"
#include "cache/redis_client.hpp"
#include "obs/logging.hpp"
#include "util/uuid.hpp"

namespace utxoiq::cache {
namespace {

// KEYS[1] the key's log, KEYS[2] the global log (sorted sets: member -> admission time, us).
// ARGV[1] window us, ARGV[2] per-key limit, ARGV[3] global limit, ARGV[4] unique member,
// ARGV[5] now in us ("" = the server's TIME).
// -> {1, remaining, us until remaining grows} when admitted, {0, 0, us until admitted} when not.
// A request at t is admitted iff fewer than the limit were admitted in (t - window, t], for its
// key and overall; a refused request is recorded nowhere (as in the in-process limiter).
const RedisScript kSlidingWindow(R"lua(
local now
if ARGV[5] ~= '' then
  now = tonumber(ARGV[5])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local window = tonumber(ARGV[1])
local key_limit = tonumber(ARGV[2])
local global_limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
local key_count = redis.call('ZCARD', KEYS[1])
local global_count = redis.call('ZCARD', KEYS[2])
local function oldest(log)
  return tonumber(redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')[2])
end
if key_count < key_limit and global_count < global_limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('ZADD', KEYS[2], now, ARGV[4])
  local ttl_ms = math.ceil(window / 1000) + 1000
  redis.call('PEXPIRE', KEYS[1], ttl_ms)
  redis.call('PEXPIRE', KEYS[2], ttl_ms)
  local key_left = key_limit - key_count - 1
  local global_left = global_limit - global_count - 1
  local bounding = KEYS[1]
  if global_left < key_left then bounding = KEYS[2] end
  return {1, math.min(key_left, global_left), oldest(bounding) + window - now}
end
local wait = 0
if key_count >= key_limit then wait = math.max(wait, oldest(KEYS[1]) + window - now) end
if global_count >= global_limit then wait = math.max(wait, oldest(KEYS[2]) + window - now) end
return {0, 0, wait}
)lua");

std::int64_t microseconds_since_epoch(resilience::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// Whole seconds, rounded up, at least 1 (the in-process limiter's rounding).
std::int64_t at_least_one_second(std::int64_t microseconds) {
  const std::int64_t seconds = (microseconds + 999'999) / 1'000'000;
  return seconds < 1 ? 1 : seconds;
}

}  // namespace

DistributedRateLimiter::DistributedRateLimiter(RedisClient& redis,
                                               DistributedRateLimiterOptions options)
    : redis_(redis),
      options_(std::move(options)),
      fallback_(options_.limits, options_.fallback_clock),
      member_prefix_(
          (options_.instance_id.empty() ? new_uuid_v7().to_string() : options_.instance_id) + ":") {
}

Task<resilience::RateLimitDecision> DistributedRateLimiter::acquire(std::string key, bool admin) {
  if (admin) co_return fallback_.acquire(key, true);  // counted nowhere, Redis not needed
  const bool usable = redis_.state() == RedisState::up &&
                      redis_.breaker().state() != resilience::BreakerState::open;
  if (!usable) co_return decide_in_process(key);
  // Just after an outage the in-process log holds admissions Redis never saw: for one window a
  // request must pass both (the in-process check first, so a refusal costs no round trip).
  const bool recovering = options_.fallback_clock() < recovering_until_;
  std::optional<resilience::RateLimitDecision> local;
  if (recovering) {
    local = fallback_.acquire(key, false);
    if (!local->allowed) co_return *local;
  }
  std::optional<resilience::RateLimitDecision> shared = co_await decide_in_redis(key);
  if (!shared) {
    redis_errors_.fetch_add(1, std::memory_order_relaxed);
    if (!local) co_return decide_in_process(key);
    note_in_process_decision();  // already decided and counted in process; Redis never saw it
    co_return *local;
  }
  redis_decisions_.fetch_add(1, std::memory_order_relaxed);
  if (local) {
    shared->remaining = std::min(shared->remaining, local->remaining);
  } else if (shared->allowed) {
    // Mirrored in process, so that if Redis goes away the fallback starts from what this
    // instance admitted in the last window instead of from nothing.
    fallback_.acquire(key, false);
  }
  co_return *shared;
}

void DistributedRateLimiter::note_in_process_decision() {
  recovering_until_ = options_.fallback_clock() + options_.limits.window;
  fallback_decisions_.fetch_add(1, std::memory_order_relaxed);
}

resilience::RateLimitDecision DistributedRateLimiter::decide_in_process(const std::string& key) {
  note_in_process_decision();
  return fallback_.acquire(key, false);
}

Task<std::optional<resilience::RateLimitDecision>> DistributedRateLimiter::decide_in_redis(
    const std::string& key) {
  const std::vector<std::string> keys{options_.key_prefix + "ratelimit:key:" + escape_key_part(key),
                                      options_.key_prefix + "ratelimit:global"};
  const auto window_us =
      std::chrono::duration_cast<std::chrono::microseconds>(options_.limits.window).count();
  const std::vector<std::string> args{
      std::to_string(window_us), std::to_string(options_.limits.per_key_limit),
      std::to_string(options_.limits.global_limit), member_prefix_ + std::to_string(++sequence_),
      options_.redis_clock ? std::to_string(microseconds_since_epoch(options_.redis_clock()))
                           : std::string()};
  try {
    const RedisReply reply = co_await kSlidingWindow.run(redis_, keys, args);
    if (reply.is_array() && reply.elements.size() == 3 && reply.elements[0].as_integer() &&
        reply.elements[1].as_integer() && reply.elements[2].as_integer()) {
      resilience::RateLimitDecision decision;
      decision.limit = options_.limits.per_key_limit;
      decision.allowed = *reply.elements[0].as_integer() == 1;
      decision.remaining = static_cast<std::uint32_t>(*reply.elements[1].as_integer());
      const std::int64_t wait = at_least_one_second(*reply.elements[2].as_integer());
      decision.reset_seconds = wait;
      decision.retry_after_seconds = decision.allowed ? 0 : wait;
      co_return decision;
    }
    obs::log_warn("rate limiter: unexpected reply from Redis; using the in-process limits",
                  {{"reply", reply.describe().substr(0, 200)}});
  } catch (const std::exception& e) {
    obs::log_debug("rate limiter: Redis unavailable; using the in-process limits",
                   {{"error", e.what()}});
  }
  co_return std::nullopt;
}

DistributedRateLimiterCounters DistributedRateLimiter::counters() const {
  return {.redis_decisions = redis_decisions_.load(std::memory_order_relaxed),
          .fallback_decisions = fallback_decisions_.load(std::memory_order_relaxed),
          .redis_errors = redis_errors_.load(std::memory_order_relaxed)};
}

}  // namespace utxoiq::cache
