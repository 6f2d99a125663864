// GET /api/v1/monitoring/cache; the shape is api.md's:
//   {"caches": {"feedback_stats": {"l1": {hits, misses, hit_rate, entries, evictions},
//                                  "l2": {...}}, "backfill_job": ..., "recent_metrics": ...,
//               "aggregated_metrics": ...},
//    "redis": {"state": "up" | "down" | "disabled"}}
// hit_rate is hits / (hits + misses) in [0, 1], null before any lookup. l1 figures are this
// instance's; l2 hits, misses and evictions are this instance's lookups, l2 entries the count in
// Redis (shared by every instance; the last one seen while Redis does not answer).
#include "api/monitoring_cache_routes.hpp"

#include <boost/json.hpp>

#include "api/route_table.hpp"
#include "api/schema.hpp"
#include "cache/cache_set.hpp"
#include "http/response.hpp"

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

boost::json::object figures_schema() {
  const auto count = schema::integer(0);
  const auto level = schema::object({"hits", "misses", "hit_rate", "entries", "evictions"},
                                    {{"hits", count},
                                     {"misses", count},
                                     {"hit_rate", schema::nullable(schema::number(0, 1))},
                                     {"entries", count},
                                     {"evictions", count}});
  auto cache = schema::object({"l1", "l2"}, {{"l1", level}, {"l2", level}});
  boost::json::object caches{{"type", "object"}, {"additionalProperties", std::move(cache)}};
  return schema::object(
      {"caches", "redis"},
      {{"caches", std::move(caches)},
       {"redis",
        schema::object({"state"}, {{"state", schema::enum_of({"up", "down", "disabled"})}})}});
}

}  // namespace

void add_monitoring_cache_routes(http::Router& router, MonitoringCacheRoutesDeps deps,
                                 ApiDocs& docs) {
  add_routes(
      router, docs,
      {{.method = http::Method::get,
        .path = "/api/v1/monitoring/cache",
        .name = "monitoring_cache",
        .access = kAdmins,
        .doc = {.summary = "Figures of every named cache at both levels, and Redis's state",
                .replies = {{.schema = figures_schema()}}},
        .handler = [caches = &deps.caches](http::Request&) { return cache_figures(caches); }}});
}

}  // namespace utxoiq::api
