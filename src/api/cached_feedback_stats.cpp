#include "api/cached_feedback_stats.hpp"

#include <stdexcept>

#include "api/cached_read.hpp"
#include "cache/cache_keys.hpp"
#include "util/json_text.hpp"

namespace utxoiq::api {
namespace {

// The same for a read's miss and a write's reload.
CacheMiss miss_of(store::FeedbackStatsReader* database, std::string insight_id) {
  std::vector<std::string> tags{cache::insight_tag(insight_id)};
  return {
      .load = [database, insight_id = std::move(insight_id)]() -> Task<std::optional<std::string>> {
        const domain::FeedbackStats stats = co_await database->stats(insight_id);
        co_return to_json_text(domain::to_json(stats));
      },
      .tags = std::move(tags)};
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
  auto text =
      co_await read_through(caches_.feedback_stats(), cache::feedback_stats_key(insight_id),
                            [this, &insight_id] { return miss_of(&database_, insight_id); });
  // The loader never says "not found": an insight nobody rated has zeros.
  if (!text) throw std::logic_error("feedback statistics load returned nothing");
  co_return std::move(*text);
}

store::FeedbackWriteListener CachedFeedbackStats::invalidator() {
  return [this](std::vector<std::string> insight_ids) -> Task<void> {
    std::vector<std::string> keys = keys_of(insight_ids);
    const std::vector<std::size_t> reread = worth_reloading(caches_.feedback_stats(), keys);
    co_await caches_.invalidate(keys);
    // In the background: the next read is a hit (or joins the load).
    for (const std::size_t i : reread) {
      CacheMiss miss = miss_of(&database_, insight_ids[i]);
      co_await caches_.feedback_stats().reload(std::move(keys[i]), std::move(miss.load),
                                               std::move(miss.tags));
    }
  };
}

}  // namespace utxoiq::api
