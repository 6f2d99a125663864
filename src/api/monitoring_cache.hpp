#pragma once
// GET /api/v1/monitoring/cache (admin; api.md, "Operations"): hits, misses, hit rate, entries and
// evictions of every named cache at both levels, and the Redis state.
namespace utxoiq::http {
class Router;
}
namespace utxoiq::cache {
class CacheSet;
}

namespace utxoiq::api {

// `caches` must outlive the router.
void add_monitoring_cache_routes(http::Router& router, cache::CacheSet& caches);

}  // namespace utxoiq::api
