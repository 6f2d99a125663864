#pragma once
// Feedback statistics through the cache (requirement 4): a FeedbackStatsReader in front of the
// repository's, so the handlers do not change. `stats_json` (what GET /feedback/stats sends) and
// `stats` read L1, then Redis, then the database (one load per insight at a time) under
// feedback:stats:{insight_id} for 1 h.
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
// stats_batch goes to the database in one indexed query for all ids: up to 500 single-key loads
// on a cold cache would cost more round trips than the batch saves.
#include "cache/cache_set.hpp"
#include "store/feedback_store.hpp"

namespace utxoiq::api {

class CachedFeedbackStats final : public store::FeedbackStatsReader {
 public:
  // Both must outlive this object (and any background refresh it starts).
  CachedFeedbackStats(store::FeedbackStatsReader& database, cache::CacheSet& caches)
      : database_(database), caches_(caches) {}

  Task<domain::FeedbackStats> stats(const std::string& insight_id) override;
  // The cached text itself: a hit is sent without parsing or rendering anything.
  Task<std::string> stats_json(const std::string& insight_id) override;
  Task<std::vector<domain::FeedbackStats>> stats_batch(
      const std::vector<std::string>& insight_ids) override;

  store::FeedbackWriteListener invalidator();

 private:
  store::FeedbackStatsReader& database_;
  cache::CacheSet& caches_;
};

}  // namespace utxoiq::api
