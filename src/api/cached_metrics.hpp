#pragma once
// The metric reads as the JSON text the routes send, through the cache where an answer can be kept
// (requirement 4.4: metrics 5 min; cache_keys.hpp; cached_read.hpp):
//  - recent metrics: GET /metrics for one series with no start, end or cursor and the default
//    limit (MetricRangeQuery::recent: "the last hour") under metrics:{service}:{type}:recent,
//    5 min. Every write to the series drops it, so a cached answer never misses a written point;
//    what the TTL allows is the window's own movement: a point that has aged past one hour may
//    still be listed for up to 5 minutes (and a point stamped up to 5 minutes in the future,
//    written before the answer was cached, appears only once it is reloaded).
//  - aggregates over a range given by both start and end (MetricAggregateQuery::fixed_range): the
//    answer changes only when points are written, so it is kept 1 h and dropped by every write to
//    the series. Aggregates over a default range end at "now" and move with the clock: not cached.
//  - every other read (pages by cursor, explicit ranges, series): rendered from the database.
// `invalidator()` is the metric writer's hook: after a write, the entries tagged with each series
// written are dropped on this instance at once and on the others within 1 s.
#include <string>

#include "cache/cache_set.hpp"
#include "domain/metric_queries.hpp"
#include "store/metric_store.hpp"

namespace utxoiq::api {

class CachedMetrics {
 public:
  // Both must outlive this object (and any background refresh it starts).
  CachedMetrics(store::MetricReader& database, cache::CacheSet& caches)
      : database_(database), caches_(caches) {}

  // {metrics: [...], next_cursor}
  Task<std::string> range_json(const domain::MetricRangeQuery& query);
  // {service_name, metric_type, interval, buckets: [...]}
  Task<std::string> aggregate_json(const domain::MetricAggregateQuery& query);
  // {series: [...], next_cursor}
  Task<std::string> series_json(const domain::MetricSeriesQuery& query);

  store::MetricWriteListener invalidator();

 private:
  store::MetricReader& database_;
  cache::CacheSet& caches_;
};

}  // namespace utxoiq::api
