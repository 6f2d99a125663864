// The L2 scripts and their replies; see redis_l2_store.hpp for the key layout.
#include "cache/internal/redis_l2_store.hpp"

#include <stdexcept>

#include "cache/internal/redis_errors.hpp"
#include "cache/internal/redis_script.hpp"
#include "cache/redis_client.hpp"

namespace utxoiq::cache {
namespace {

// KEYS[1] value, KEYS[2] epoch, KEYS[3] key generation, KEYS[4] index, KEYS[5..] tag generations.
// -> {1, value, pttl, guard} or {0, evicted, 0, guard}; guard = {epoch, key gen, tag gens...}
const RedisScript kLookup(R"lua(
local epoch = redis.call('GET', KEYS[2]) or '0'
local guard = {epoch, redis.call('GET', KEYS[3]) or '0'}
for i = 5, #KEYS do guard[#guard + 1] = redis.call('GET', KEYS[i]) or '0' end
-- Anything but our hash under the key (e.g. a plain string left by an older deployment) is a
-- miss; the fill replaces it.
local entry = {false, false}
if redis.call('TYPE', KEYS[1]).ok == 'hash' then entry = redis.call('HMGET', KEYS[1], 'v', 'e') end
if entry[1] and entry[2] == epoch then
  return {1, entry[1], redis.call('PTTL', KEYS[1]), guard}
end
local evicted = 0
if not entry[1] then
  local expires = redis.call('ZSCORE', KEYS[4], KEYS[1])
  if expires then
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    if tonumber(expires) > now then evicted = 1 end
    redis.call('ZREM', KEYS[4], KEYS[1])
  end
end
return {0, evicted, 0, guard}
)lua");

// KEYS as for lookup, then m tag sets. ARGV[1] value, ARGV[2] ttl ms, ARGV[3] cache name,
// ARGV[4] m, ARGV[5..] the guard. -> 1 stored, 0 refused (a generation moved).
const RedisScript kFill(R"lua(
local m = tonumber(ARGV[4])
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[5] then return 0 end
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[6] then return 0 end
for i = 1, m do
  if (redis.call('GET', KEYS[4 + i]) or '0') ~= ARGV[6 + i] then return 0 end
end
local ttl = tonumber(ARGV[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'e', ARGV[5], 'c', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
redis.call('ZADD', KEYS[4], now + ttl, KEYS[1])
for i = 1, m do
  local set = KEYS[4 + m + i]
  redis.call('SADD', set, KEYS[1])
  if redis.call('PTTL', set) < ttl then redis.call('PEXPIRE', set, ttl) end
end
return 1
)lua");

// KEYS: n pairs (value, key generation), then pairs (tag set, tag generation).
// ARGV[1] n, ARGV[2] generation ttl ms, ARGV[3] index key prefix, ARGV[4] channel, ARGV[5]
// message. -> entries removed. Deleting and publishing in one script: no instance can hear of the
// invalidation before L2 reflects it.
const RedisScript kInvalidate(R"lua(
local n = tonumber(ARGV[1])
local generation_ttl = tonumber(ARGV[2])
local removed = 0
local function drop(key)
  if redis.call('TYPE', key).ok == 'hash' then
    local cache = redis.call('HGET', key, 'c')
    if cache then redis.call('ZREM', ARGV[3] .. cache, key) end
  end
  removed = removed + redis.call('DEL', key)
end
for i = 1, n do
  redis.call('INCR', KEYS[2 * i])
  redis.call('PEXPIRE', KEYS[2 * i], generation_ttl)
  drop(KEYS[2 * i - 1])
end
for j = 2 * n + 1, #KEYS, 2 do
  redis.call('INCR', KEYS[j + 1])
  redis.call('PEXPIRE', KEYS[j + 1], generation_ttl)
  for _, key in ipairs(redis.call('SMEMBERS', KEYS[j])) do drop(key) end
  redis.call('DEL', KEYS[j])
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return removed
)lua");

// KEYS: index per cache. -> live entries per cache.
const RedisScript kCount(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local counts = {}
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  counts[i] = redis.call('ZCARD', KEYS[i])
end
return counts
)lua");

// KEYS[1] epoch, KEYS[2..] indexes. ARGV[1] channel, ARGV[2] flush message.
const RedisScript kBeginSession(R"lua(
local epoch = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return epoch
)lua");

[[noreturn]] void unexpected(const RedisReply& reply, const char* what) {
  // An error reply of a script is a bug of ours or a foreign key in our namespace; either way
  // this call gets no answer and the cache carries on without L2 for it.
  throw std::runtime_error(std::string("redis L2 ") + what + ": unexpected reply " +
                           reply.describe().substr(0, 200));
}

std::string milliseconds_text(resilience::Duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return std::to_string(ms < 1 ? 1 : ms);
}

}  // namespace

RedisL2Store::RedisL2Store(RedisClient& redis, RedisL2StoreOptions options)
    : redis_(redis),
      options_(std::move(options)),
      prefix_(options_.key_prefix),
      channel_(options_.key_prefix + "cache:invalidations") {}

bool RedisL2Store::available() const {
  return redis_.state() == RedisState::up &&
         redis_.breaker().state() != resilience::BreakerState::open;
}

std::vector<std::string> RedisL2Store::guard_keys(std::string_view cache, const std::string& key,
                                                  const std::vector<std::string>& tags) const {
  std::vector<std::string> keys;
  keys.reserve(4 + 2 * tags.size());
  keys.push_back(prefix_ + key);
  keys.push_back(epoch_key());
  keys.push_back(prefix_ + "cache:gen:" + key);
  keys.push_back(prefix_ + "cache:index:" + std::string(cache));
  for (const std::string& tag : tags) keys.push_back(prefix_ + "cache:taggen:" + tag);
  return keys;
}

Task<L2Lookup> RedisL2Store::lookup(std::string_view cache, const std::string& key,
                                    const std::vector<std::string>& tags) {
  const RedisReply reply = co_await kLookup.run(redis_, guard_keys(cache, key, tags), {});
  if (!reply.is_array() || reply.elements.size() != 4 || !reply.elements[3].is_array() ||
      reply.elements[3].elements.size() != 2 + tags.size()) {
    unexpected(reply, "lookup");
  }
  L2Lookup result;
  for (const RedisReply& generation : reply.elements[3].elements) {
    const auto text = generation.as_text();
    if (!text) unexpected(reply, "lookup");
    result.guard.generations.emplace_back(*text);
  }
  if (reply.elements[0].as_integer() == 1) {
    const auto value = reply.elements[1].as_text();
    const auto pttl = reply.elements[2].as_integer();
    if (!value || !pttl) unexpected(reply, "lookup");
    if (*pttl > 0) {  // -1/-2: no TTL or gone this very moment: not a usable hit
      result.value = std::string(*value);
      result.ttl_left = std::chrono::milliseconds(*pttl);
    }
  } else {
    result.evicted = reply.elements[1].as_integer() == 1;
  }
  co_return result;
}

Task<bool> RedisL2Store::fill(std::string_view cache, const std::string& key,
                              const std::string& value, resilience::Duration ttl,
                              const std::vector<std::string>& tags, const L2FillGuard& guard) {
  if (guard.generations.size() != 2 + tags.size()) {
    throw std::invalid_argument("redis L2 fill: the guard does not match the tags");
  }
  std::vector<std::string> keys = guard_keys(cache, key, tags);
  for (const std::string& tag : tags) keys.push_back(tag_set_key(tag));
  std::vector<std::string> args{value, milliseconds_text(ttl), std::string(cache),
                                std::to_string(tags.size())};
  args.insert(args.end(), guard.generations.begin(), guard.generations.end());
  const RedisReply reply = co_await kFill.run(redis_, keys, args);
  const auto stored = reply.as_integer();
  if (!stored) unexpected(reply, "fill");
  co_return *stored == 1;
}

Task<void> RedisL2Store::invalidate(const InvalidationMessage& message) {
  std::vector<std::string> keys;
  keys.reserve(2 * (message.keys.size() + message.tags.size()));
  for (const std::string& key : message.keys) {
    keys.push_back(prefix_ + key);
    keys.push_back(prefix_ + "cache:gen:" + key);
  }
  for (const std::string& tag : message.tags) {
    keys.push_back(tag_set_key(tag));
    keys.push_back(prefix_ + "cache:taggen:" + tag);
  }
  const std::vector<std::string> args{std::to_string(message.keys.size()),
                                      std::to_string(options_.generation_ttl.count()),
                                      prefix_ + "cache:index:", channel_, encode(message)};
  // Not through the breaker: an invalidation is tried whenever there is a connection.
  const RedisReply reply = co_await kInvalidate.run(redis_.unguarded(), keys, args);
  if (!reply.as_integer()) unexpected(reply, "invalidate");
}

Task<std::vector<std::uint64_t>> RedisL2Store::entry_counts(
    const std::vector<std::string>& caches) {
  std::vector<std::string> keys;
  for (const std::string& cache : caches) keys.push_back(prefix_ + "cache:index:" + cache);
  const RedisReply reply = co_await kCount.run(redis_, keys, {});
  if (!reply.is_array() || reply.elements.size() != caches.size()) unexpected(reply, "count");
  std::vector<std::uint64_t> counts;
  for (const RedisReply& count : reply.elements) {
    const auto n = count.as_integer();
    if (!n || *n < 0) unexpected(reply, "count");
    counts.push_back(static_cast<std::uint64_t>(*n));
  }
  co_return counts;
}

Task<void> RedisL2Store::begin_session(RedisCommands& connection,
                                       const std::vector<std::string>& caches,
                                       const InvalidationMessage& flush) const {
  std::vector<std::string> keys{epoch_key()};
  for (const std::string& cache : caches) keys.push_back(prefix_ + "cache:index:" + cache);
  const std::vector<std::string> args{channel_, encode(flush)};
  const RedisReply reply = co_await kBeginSession.run(connection, keys, args);
  if (!reply.as_integer()) unexpected(reply, "session start");
}

}  // namespace utxoiq::cache
