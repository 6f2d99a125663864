// GET /api/v1/monitoring/cache; the shape is api.md's:
//   {"caches": {"feedback_stats": {"l1": {hits, misses, hit_rate, entries, evictions},
//                                  "l2": {...}}, "backfill_job": ..., "recent_metrics": ...,
//               "aggregated_metrics": ...},
//    "redis": {"state": "up" | "down" | "disabled"}}
// hit_rate is hits / (hits + misses) in [0, 1], null before any lookup. l1 figures are this
// instance's; l2 hits, misses and evictions are this instance's lookups, l2 entries the count in
// Redis (shared by every instance; the last one seen while Redis does not answer).
#include "api/monitoring_cache.hpp"

#include <boost/json.hpp>

#include "cache/cache_set.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace utxoiq::api {
namespace {

boost::json::object level_json(const cache::CacheLevelStats& s) {
  boost::json::object out{{"hits", s.hits},
                          {"misses", s.misses},
                          {"hit_rate", nullptr},
                          {"entries", s.entries},
                          {"evictions", s.evictions}};
  if (const auto rate = s.hit_rate()) out["hit_rate"] = *rate;
  return out;
}

Task<http::Response> cache_figures(cache::CacheSet* caches) {
  const cache::CacheSetStats stats = co_await caches->stats();
  boost::json::object named;
  for (const auto& s : stats.caches) {
    named[s.name] = boost::json::object{{"l1", level_json(s.l1)}, {"l2", level_json(s.l2)}};
  }
  co_return http::json_response(
      200, boost::json::object{{"caches", std::move(named)},
                               {"redis", {{"state", cache::to_string(stats.redis)}}}});
}

}  // namespace

void add_monitoring_cache_routes(http::Router& router, cache::CacheSet& caches) {
  router.get("/api/v1/monitoring/cache",
             [caches = &caches](http::Request&) { return cache_figures(caches); },
             {.name = "monitoring_cache",
              .body_limit = http::kDefaultBodyLimit,
              .min_role = http::Role::admin});
}

}  // namespace utxoiq::api
