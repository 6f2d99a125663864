#pragma once
// The service's cache: the four named caches (cache_keys.hpp) over one Redis client
// (L2, shared with the rate limiter), one subscriber connection (the invalidation bus), and the
// rule that keeps every instance's L1 fresh to within 1 s of a write anywhere.
//
//   CacheSet caches(io, {.redis_url = "redis://..."});
//   co_await caches.start();
//   auto v = co_await caches.feedback_stats().get_or_load(key, loader, tags);
//   co_await caches.invalidate({feedback_stats_key(id)});       // after the write committed
//
// THE FRESHNESS RULE. An instance may serve an L1 entry only as long as it would have heard of an
// invalidation of it. Invalidations travel with the write's L2 delete in one script that also
// PUBLISHes them (redis_l2_store.cpp), and every instance applies them to its L1 when its
// subscriber receives them (well under 1 s). So:
//  1. While the subscriber does not hear (Redis down, connection lost or silent — the heartbeat
//     notices within ~1 s — or not yet subscribed), the instance is deaf. The moment it notices,
//     it drops its whole L1 (anything in it may have been invalidated meanwhile), and every entry
//     it stores while deaf lives at most unheard_ttl_cap (1 s). When it hears again it drops L1
//     once more. So after a write on instance A while Redis is down, instance B, deaf too, answers
//     the old value for at most 1 s: its older entries were dropped when it went deaf, its newer
//     ones expire within 1 s and are reloaded from the database.
//  2. A write whose invalidation did not reach Redis was still dropped from the writer's own L1
//     at once (reads on the writer reflect it immediately), but L2 may keep the old value. So
//     every Redis session after the first (and the first too, if an invalidation was lost before
//     it) begins, before anything else uses the connection, by moving the L2 epoch — every L2
//     entry written before is a miss from then on — and publishing a flush that drops every
//     instance's L1. An instance whose invalidation failed retries the connection urgently
//     (every 200 ms) so that this happens as soon as Redis is reachable again.
//  Together: Redis down for everyone -> 1. covers it, and 2. makes sure no instance reads an L2
//  entry from before the outage afterwards. What no rule can fix: one instance cut off from Redis
//  while the others are not; its writes reach them when it reconnects (2.), not before.
//  Without Redis at all (no URL) there is no L2 and nobody to hear from: one instance is assumed
//  (running several instances needs Redis), and L1 TTLs are not capped.
//
// Redis down never fails a request: L1 and the loader serve, and the cache comes back by itself
// (RedisClient reconnects; L2 hits resume in the first session).
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cache/redis_client.hpp"
#include "cache/redis_subscriber.hpp"
#include "cache/two_level_cache.hpp"
#include "util/task.hpp"

namespace boost::asio {
class io_context;
}
namespace utxoiq::obs {
class Registry;
}

namespace utxoiq::cache {

class RedisL2Store;

// The options of each named cache (names, ttls and key patterns of cache_keys.hpp).
struct NamedCacheOptions {
  TwoLevelCacheOptions feedback_stats;
  TwoLevelCacheOptions backfill_job;
  TwoLevelCacheOptions recent_metrics;
  TwoLevelCacheOptions aggregated_metrics;
  // The four, in the order of the monitoring endpoint and of CacheSetStats::caches.
  std::array<const TwoLevelCacheOptions*, 4> in_order() const {
    return {&feedback_stats, &backfill_job, &recent_metrics, &aggregated_metrics};
  }
};

struct CacheSetOptions {
  std::string redis_url;              // empty: no Redis (state disabled)
  std::string key_prefix;             // before every Redis key and the channel ("" in production)
  std::string instance_id;            // empty: a new UUIDv7
  RedisClientOptions redis;           // url is redis_url
  RedisSubscriberOptions subscriber;  // url and channel are set by the cache set
  resilience::Duration unheard_ttl_cap = std::chrono::seconds(1);
  NamedCacheOptions caches = default_caches();
  resilience::NowFn now = resilience::steady_now;  // the L1 clock (tests drive it by hand)

  static NamedCacheOptions default_caches();
};

struct CacheSetStats {
  std::vector<TwoLevelCacheStats> caches;  // in NamedCacheOptions::in_order()
  RedisState redis = RedisState::disabled;
  // Whether L2 entry counts are fresh from Redis (else the last ones seen, or 0).
  bool l2_counts_current = false;
};

class CacheSet {
 public:
  // Throws std::invalid_argument for a malformed Redis URL.
  CacheSet(boost::asio::io_context& io, CacheSetOptions options);
  ~CacheSet();
  CacheSet(const CacheSet&) = delete;
  CacheSet& operator=(const CacheSet&) = delete;

  // Connects both Redis connections (first attempt each); never throws because Redis is down.
  Task<void> start();
  void stop();

  TwoLevelCache& feedback_stats();
  TwoLevelCache& backfill_job();
  TwoLevelCache& recent_metrics();
  TwoLevelCache& aggregated_metrics();
  // By name; nullptr for an unknown one.
  TwoLevelCache* find(std::string_view name);

  // After a write has committed: drops the keys and everything tagged with the tags from every
  // named cache here at once, then from L2 and every other instance's L1. Never throws.
  Task<void> invalidate(std::vector<std::string> keys, std::vector<std::string> tags = {});

  // disabled without Redis; up when both connections are up (L2 usable and invalidations heard);
  // else down. For /readyz (never a reason for 503) and the monitoring endpoint.
  RedisState redis_state() const;
  bool hearing() const;
  // The command connection, shared with the rate limiter.
  RedisClient& redis();
  const std::string& instance_id() const;
  const CacheContext& context() const;

  // Figures of every named cache, with L2 entry counts asked from Redis (briefly; the last known
  // ones when it does not answer).
  Task<CacheSetStats> stats();
  // utxoiq_cache_* and the Redis breaker on /metrics, computed at scrape time. The collector
  // holds the cache set weakly: one destroyed earlier adds nothing.
  void add_metrics(obs::Registry& registry);

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace utxoiq::cache
