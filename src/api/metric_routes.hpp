#pragma once
// The metric routes of api.md ("Metrics"): POST /api/v1/monitoring/metrics and /metrics/batch
// (writer), GET /metrics, /metrics/aggregate and /metrics/series (reader). Handlers validate with
// the domain parsers; reads go through CachedMetrics (the JSON text, from the cache where it can
// be kept: cached_metrics.hpp) and writes through store::MetricWriter.
#include "api/api_docs.hpp"

namespace utxoiq::http {
class Router;
}
namespace utxoiq::store {
class MetricWriter;
}  // namespace utxoiq::store

namespace utxoiq::api {

class CachedMetrics;

struct MetricRoutesDeps {
  CachedMetrics& reads;
  store::MetricWriter& writer;
};

// The reader and the writer must outlive the router.
void add_metric_routes(http::Router& router, MetricRoutesDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
