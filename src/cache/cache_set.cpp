// The named caches, the invalidation bus and the freshness rule; see cache_set.hpp.
#include "cache/cache_set.hpp"

#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "cache/cache_keys.hpp"
#include "cache/internal/redis_l2_store.hpp"
#include "cache/invalidation_message.hpp"
#include "obs/logging.hpp"
#include "obs/metrics.hpp"
#include "resilience/breaker_metrics.hpp"
#include "util/uuid.hpp"

namespace utxoiq::cache {

namespace asio = boost::asio;

NamedCacheOptions CacheSetOptions::default_caches() {
  const auto named = [](std::string_view name, resilience::Duration ttl, std::size_t entries) {
    TwoLevelCacheOptions o;
    o.name = std::string(name);
    o.ttl = ttl;
    o.l1.max_entries = entries;
    return o;
  };
  // feedback stats are the hot read (requirement 4.2: 90% hits): the largest L1.
  return {named(names::kFeedbackStats, ttls::kFeedbackStats, 20'000),
          named(names::kBackfillJob, ttls::kBackfillJob, 2'000),
          named(names::kRecentMetrics, ttls::kRecentMetrics, 2'000),
          named(names::kAggregatedMetrics, ttls::kAggregatedMetrics, 2'000)};
}

struct CacheSet::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& context, CacheSetOptions set_options)
      : io(context), options(std::move(set_options)) {
    instance_id = options.instance_id.empty() ? new_uuid_v7().to_string() : options.instance_id;
    RedisClientOptions client = options.redis;
    client.url = options.redis_url;
    redis = std::make_unique<RedisClient>(io, client);
    if (!options.redis_url.empty()) {
      RedisL2StoreOptions store;
      store.key_prefix = options.key_prefix;
      l2 = std::make_unique<RedisL2Store>(*redis, store);
      RedisSubscriberOptions sub = options.subscriber;
      sub.url = options.redis_url;
      sub.channel = l2->channel();
      subscriber = std::make_unique<RedisSubscriber>(io, sub);
    }
    for (const TwoLevelCacheOptions* cache : options.caches.in_order())
      names.push_back(cache->name);
  }

  asio::io_context& io;
  const CacheSetOptions options;
  std::string instance_id;
  std::unique_ptr<RedisClient> redis;
  std::unique_ptr<RedisL2Store> l2;  // before the caches: they are destroyed first
  std::unique_ptr<RedisSubscriber> subscriber;
  CacheContext context;
  std::vector<std::unique_ptr<TwoLevelCache>> caches;  // in NamedCacheOptions::in_order()
  std::vector<TwoLevelCache*> all;                     // the same, for invalidate_everywhere
  TwoLevelCache* feedback_stats = nullptr;
  TwoLevelCache* backfill_job = nullptr;
  TwoLevelCache* recent_metrics = nullptr;
  TwoLevelCache* aggregated_metrics = nullptr;
  std::vector<std::string> names;
  bool lost_invalidation = false;  // since the last session began
  std::vector<std::uint64_t> last_l2_counts = std::vector<std::uint64_t>(4, 0);
  std::atomic<std::uint64_t> invalidations_lost{0};
  std::atomic<std::uint64_t> messages_applied{0};
  std::atomic<std::uint64_t> flushes{0};

  bool hearing() const { return !subscriber || subscriber->hearing(); }

  void flush_local(const char* why) {
    for (auto& cache : caches) cache->clear_local();
    flushes.fetch_add(1, std::memory_order_relaxed);
    obs::log_debug("cache L1 flushed", {{"reason", why}});
  }

  void on_message(std::string_view payload) {
    const auto message = decode_invalidation(payload);
    if (!message) {
      obs::log_warn("cache: ignoring a malformed invalidation message", {});
      return;
    }
    if (message->origin == instance_id) return;  // applied locally before it was published
    messages_applied.fetch_add(1, std::memory_order_relaxed);
    if (message->flush) {
      flush_local("flush message");
      return;
    }
    for (auto& cache : caches) cache->invalidate_local(message->keys, message->tags);
  }

  void on_invalidation_lost() {
    invalidations_lost.fetch_add(1, std::memory_order_relaxed);
    if (!lost_invalidation) {
      obs::log_warn(
          "cache: an invalidation did not reach Redis; other instances hear of it when "
          "the connection is back",
          {});
    }
    lost_invalidation = true;
    // The next session must start clean (rule 2 of cache_set.hpp), and as soon as possible: end
    // this one if it is still there (an error reply), reconnect urgently if not.
    redis->restart_session_urgently("an invalidation failed");
  }
};

namespace {

using Impl = CacheSet::Impl;

// Rule 2: every session after the first (or after a lost invalidation) starts clean.
Task<void> begin_session(std::weak_ptr<Impl> weak, RedisConnection& connection,
                         std::uint64_t session) {
  auto self = weak.lock();
  if (!self) co_return;
  if (session > 1 || self->lost_invalidation) {
    const InvalidationMessage flush{self->instance_id, {}, {}, true};
    co_await self->l2->begin_session(connection, self->names, flush);
    self->flush_local("new redis session");
    obs::log_info("cache: new redis session; L2 epoch moved and every L1 flushed",
                  {{"session", session}});
  }
  self->lost_invalidation = false;
}

}  // namespace

CacheSet::CacheSet(asio::io_context& io, CacheSetOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {
  Impl& impl = *impl_;
  const std::weak_ptr<Impl> weak = impl_;
  impl.context.l2 = impl.l2.get();
  impl.context.unheard_ttl_cap = impl.options.unheard_ttl_cap;
  impl.context.instance_id = impl.instance_id;
  impl.context.now = impl.options.now;
  if (impl.subscriber) {
    impl.context.hearing = [weak] {
      const auto self = weak.lock();
      return self && self->hearing();
    };
  }
  impl.context.on_invalidation_lost = [weak] {
    if (const auto self = weak.lock()) self->on_invalidation_lost();
  };
  const auto add = [&impl](const TwoLevelCacheOptions& cache) {
    impl.caches.push_back(std::make_unique<TwoLevelCache>(cache, impl.context));
    impl.all.push_back(impl.caches.back().get());
    return impl.all.back();
  };
  impl.feedback_stats = add(impl.options.caches.feedback_stats);
  impl.backfill_job = add(impl.options.caches.backfill_job);
  impl.recent_metrics = add(impl.options.caches.recent_metrics);
  impl.aggregated_metrics = add(impl.options.caches.aggregated_metrics);
  if (impl.subscriber) {
    impl.redis->on_session([weak](RedisConnection& connection, std::uint64_t session) {
      return begin_session(weak, connection, session);
    });
    impl.subscriber->on_message([weak](std::string_view payload) {
      if (const auto self = weak.lock()) self->on_message(payload);
    });
    // Rule 1: deaf -> drop L1 (and cap TTLs, see TwoLevelCache); hearing again -> drop it again.
    impl.subscriber->on_hearing_change([weak](bool hearing) {
      if (const auto self = weak.lock()) {
        self->flush_local(hearing ? "invalidations heard again" : "invalidations not heard");
      }
    });
  }
}

CacheSet::~CacheSet() {
  stop();
  impl_->caches.clear();  // before the L2 store and the clients they use
}

Task<void> CacheSet::start() {
  auto self = impl_;
  if (!self->subscriber) co_return;
  // The subscriber first: invalidations are heard before the first L2 read.
  co_await self->subscriber->start();
  co_await self->redis->start();
}

void CacheSet::stop() {
  if (impl_->subscriber) impl_->subscriber->stop();
  impl_->redis->stop();
}

TwoLevelCache& CacheSet::feedback_stats() {
  return *impl_->feedback_stats;
}
TwoLevelCache& CacheSet::backfill_job() {
  return *impl_->backfill_job;
}
TwoLevelCache& CacheSet::recent_metrics() {
  return *impl_->recent_metrics;
}
TwoLevelCache& CacheSet::aggregated_metrics() {
  return *impl_->aggregated_metrics;
}

TwoLevelCache* CacheSet::find(std::string_view name) {
  for (auto& cache : impl_->caches) {
    if (cache->name() == name) return cache.get();
  }
  return nullptr;
}

Task<void> CacheSet::invalidate(std::vector<std::string> keys, std::vector<std::string> tags) {
  auto self = impl_;
  co_await invalidate_everywhere(self->context, self->all, std::move(keys), std::move(tags));
}

RedisState CacheSet::redis_state() const {
  if (!impl_->redis->enabled()) return RedisState::disabled;
  return impl_->redis->state() == RedisState::up && impl_->hearing() ? RedisState::up
                                                                     : RedisState::down;
}

bool CacheSet::hearing() const {
  return impl_->hearing();
}

RedisClient& CacheSet::redis() {
  return *impl_->redis;
}

const std::string& CacheSet::instance_id() const {
  return impl_->instance_id;
}

const CacheContext& CacheSet::context() const {
  return impl_->context;
}

Task<CacheSetStats> CacheSet::stats() {
  auto self = impl_;
  CacheSetStats out;
  out.redis = redis_state();
  if (self->l2 && self->l2->available()) {
    try {
      self->last_l2_counts = co_await self->l2->entry_counts(self->names);
      out.l2_counts_current = true;
    } catch (const std::exception& e) {
      obs::log_debug("cache: L2 entry counts unavailable", {{"error", e.what()}});
    }
  }
  for (std::size_t i = 0; i < self->caches.size(); ++i) {
    TwoLevelCacheStats s = self->caches[i]->stats();
    s.l2.entries = i < self->last_l2_counts.size() ? self->last_l2_counts[i] : 0;
    out.caches.push_back(std::move(s));
  }
  co_return out;
}

void CacheSet::add_metrics(obs::Registry& registry) {
  registry.add_collector([weak = std::weak_ptr<Impl>(impl_)](obs::Exposition& out) {
    const auto self = weak.lock();
    if (!self) return;
    for (std::size_t i = 0; i < self->caches.size(); ++i) {
      const TwoLevelCacheStats s = self->caches[i]->stats();
      const auto level = [&](const char* l) -> obs::Exposition::LabelPairs {
        return {{"cache", s.name}, {"level", l}};
      };
      const obs::Exposition::LabelPairs cache{{"cache", s.name}};
      const auto d = [](std::uint64_t v) { return static_cast<double>(v); };
      out.counter("utxoiq_cache_hits_total", "Cache hits", d(s.l1.hits), level("l1"));
      out.counter("utxoiq_cache_hits_total", "Cache hits", d(s.l2.hits), level("l2"));
      out.counter("utxoiq_cache_misses_total", "Cache misses", d(s.l1.misses), level("l1"));
      out.counter("utxoiq_cache_misses_total", "Cache misses", d(s.l2.misses), level("l2"));
      out.counter("utxoiq_cache_evictions_total",
                  "Entries dropped for room (l1) or by Redis before their TTL (l2)",
                  d(s.l1.evictions), level("l1"));
      out.counter("utxoiq_cache_evictions_total",
                  "Entries dropped for room (l1) or by Redis before their TTL (l2)",
                  d(s.l2.evictions), level("l2"));
      out.gauge("utxoiq_cache_entries", "Entries in the in-process cache", d(s.l1.entries),
                level("l1"));
      out.counter("utxoiq_cache_loads_total", "Loader (database) calls", d(s.loads), cache);
      out.counter("utxoiq_cache_load_failures_total", "Loader calls that failed",
                  d(s.load_failures), cache);
      out.counter("utxoiq_cache_coalesced_total", "Misses that waited for a load in flight",
                  d(s.coalesced), cache);
      out.counter("utxoiq_cache_refreshes_total", "Early refreshes of hot keys", d(s.refreshes),
                  cache);
      out.counter("utxoiq_cache_l2_errors_total", "L2 calls without an answer", d(s.l2_errors),
                  cache);
      out.counter("utxoiq_cache_l2_fills_refused_total",
                  "L2 fills refused because an invalidation came first", d(s.l2_fills_refused),
                  cache);
    }
    const auto state = self->redis->enabled()
                           ? (self->redis->state() == RedisState::up && self->hearing() ? 1.0 : 0.0)
                           : 0.0;
    out.gauge("utxoiq_redis_up", "1 while Redis is connected and invalidations are heard", state);
    out.counter("utxoiq_cache_invalidations_lost_total",
                "Invalidations that could not be passed on to Redis",
                static_cast<double>(self->invalidations_lost.load(std::memory_order_relaxed)));
    out.counter("utxoiq_cache_invalidation_messages_total",
                "Invalidation messages from other instances applied",
                static_cast<double>(self->messages_applied.load(std::memory_order_relaxed)));
    out.counter("utxoiq_cache_l1_flushes_total", "Whole-L1 flushes (deaf, session start, flush)",
                static_cast<double>(self->flushes.load(std::memory_order_relaxed)));
    if (self->redis->enabled()) resilience::expose_breaker(out, "redis", self->redis->breaker());
  });
}

}  // namespace utxoiq::cache
