#include "api/cached_feedback_stats.hpp"

#include "api/cached_entry.hpp"
#include "cache/cache_keys.hpp"
#include "util/json_text.hpp"

namespace utxoiq::api {
namespace {

cache::TwoLevelCache::Loader loader_for(store::FeedbackStatsReader* database,
                                        std::string insight_id) {
  return [database, insight_id = std::move(insight_id)]() -> Task<std::optional<std::string>> {
    const domain::FeedbackStats stats = co_await database->stats(insight_id);
    co_return to_json_text(domain::to_json(stats));
  };
}

std::vector<std::string> keys_of(const std::vector<std::string>& insight_ids) {
  std::vector<std::string> keys;
  keys.reserve(insight_ids.size());
  for (const auto& id : insight_ids) keys.push_back(cache::feedback_stats_key(id));
  return keys;
}

// Write-through only for the keys this instance is reading (asked before the invalidation drops
// them); any other key is loaded by the first read that wants it, if one ever does.
std::vector<std::size_t> worth_reloading(const cache::TwoLevelCache& cache,
                                         const std::vector<std::string>& keys) {
  std::vector<std::size_t> held;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (cache.held_here(keys[i])) held.push_back(i);
  }
  return held;
}

}  // namespace

Task<std::string> CachedFeedbackStats::stats_json(const std::string& insight_id) {
  std::string key = cache::feedback_stats_key(insight_id);
  if (const auto hit = caches_.feedback_stats().fresh_hit(key)) co_return **hit;
  std::vector<std::string> tags{cache::insight_tag(insight_id)};
  const auto cached = co_await caches_.feedback_stats().get_or_load(
      std::move(key), loader_for(&database_, insight_id), std::move(tags));
  // Every insight has statistics (zeros when nobody rated it): the loader never says "none".
  co_return **cached;
}

Task<domain::FeedbackStats> CachedFeedbackStats::stats(const std::string& insight_id) {
  const std::string text = co_await stats_json(insight_id);
  co_return decode_cached(text, domain::feedback_stats_from_json, "feedback statistics");
}

Task<std::vector<domain::FeedbackStats>> CachedFeedbackStats::stats_batch(
    const std::vector<std::string>& insight_ids) {
  co_return co_await database_.stats_batch(insight_ids);
}

store::FeedbackWriteListener CachedFeedbackStats::invalidator() {
  return [this](std::vector<std::string> insight_ids) -> Task<void> {
    std::vector<std::string> keys = keys_of(insight_ids);
    const std::vector<std::size_t> reread = worth_reloading(caches_.feedback_stats(), keys);
    co_await caches_.invalidate(keys);
    // In the background: the next read is a hit (or joins the load).
    for (const std::size_t i : reread) {
      std::vector<std::string> tags{cache::insight_tag(insight_ids[i])};
      co_await caches_.feedback_stats().reload(
          std::move(keys[i]), loader_for(&database_, insight_ids[i]), std::move(tags));
    }
  };
}

}  // namespace utxoiq::api
