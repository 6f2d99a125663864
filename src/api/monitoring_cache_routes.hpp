#pragma once
// GET /api/v1/monitoring/cache (admin; api.md, "Operations"): hits, misses, hit rate, entries and
// evictions of every named cache at both levels, and the Redis state.
#include "api/api_docs.hpp"

namespace utxoiq::http {
class Router;
}
namespace utxoiq::cache {
class CacheSet;
}

namespace utxoiq::api {

struct MonitoringCacheRoutesDeps {
  cache::CacheSet& caches;  // must outlive the router
};

void add_monitoring_cache_routes(http::Router& router, MonitoringCacheRoutesDeps deps,
                                 ApiDocs& docs);

}  // namespace utxoiq::api
