#pragma once
// Metric reads through the cache (requirement 4.4: metrics 5 min; cache_keys.hpp):
//  - recent metrics: GET /metrics for one series with no start, end or cursor and the default
//    limit (MetricRangeQuery::recent: "the last hour") under metrics:{service}:{type}:recent,
//    5 min. Every write to the series drops it, so a cached answer never misses a written point;
//    what the TTL allows is the window's own movement: a point that has aged past one hour may
//    still be listed for up to 5 minutes (and a point stamped up to 5 minutes in the future,
//    written before the answer was cached, appears only once it is reloaded).
//  - aggregates over a range given by both start and end (MetricAggregateQuery::fixed_range): the
//    answer changes only when points are written, so it is kept 1 h and dropped by every write to
//    the series. Aggregates over a default range end at "now" and move with the clock: not cached.
//  - every other read (pages by cursor, explicit ranges, series): straight to the database.
// `invalidator()` is the metric writer's hook: after a write, the entries tagged with each series
// written are dropped on this instance at once and on the others within 1 s.
#include "api/metric_bodies.hpp"
#include "cache/cache_set.hpp"
#include "store/metric_store.hpp"

namespace utxoiq::api {

class CachedMetricBodies final : public MetricBodies {
 public:
  // Both must outlive this object (and any background refresh it starts).
  CachedMetricBodies(MetricBodies& database, cache::CacheSet& caches)
      : database_(database), caches_(caches) {}

  Task<std::string> range(const domain::MetricRangeQuery& query) override;
  Task<std::string> aggregate(const domain::MetricAggregateQuery& query) override;
  Task<std::string> series() override;

  store::MetricWriteListener invalidator();

 private:
  MetricBodies& database_;
  cache::CacheSet& caches_;
};

}  // namespace utxoiq::api
