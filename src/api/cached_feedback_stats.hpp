#pragma once
// Feedback statistics through the cache (requirement 4; cached_read.hpp): `stats_json` is the body
// of GET /feedback/stats, read from L1, then Redis, then the repository (one load per insight at a
// time) under feedback:stats:{insight_id} for 1 h.
//
// `invalidator()` is the repository's write listener. It drops the entries of the insights a
// write changed, on this instance at once and on the others within 1 s (cache_set.hpp), and, for a
// write to one insight (rate, comment, flag) whose statistics this instance holds (read here, or
// being loaded), starts loading the new ones into L1 and Redis in the background (write-through):
// without this every write would turn the next read of a popular insight into a database load,
// and an insight nobody reads here is not worth a load. Only the invalidation is on the write's
// path, not the reload.
// Erasures touch many insights and only invalidate.
//
// POST /feedback/stats/batch reads the repository directly, in one indexed query for all ids: up
// to 500 single-key loads on a cold cache would cost more round trips than the batch saves.
#include <string>

#include "cache/cache_set.hpp"
#include "store/feedback_store.hpp"

namespace utxoiq::api {

class CachedFeedbackStats {
 public:
  // Both must outlive this object (and any background refresh it starts).
  CachedFeedbackStats(store::FeedbackStatsReader& database, cache::CacheSet& caches)
      : database_(database), caches_(caches) {}

  // {insight_id, total_ratings, ...} (domain::to_json(FeedbackStats)); every insight has
  // statistics (zeros when nobody rated it).
  Task<std::string> stats_json(const std::string& insight_id);

  store::FeedbackWriteListener invalidator();

 private:
  store::FeedbackStatsReader& database_;
  cache::CacheSet& caches_;
};

}  // namespace utxoiq::api
