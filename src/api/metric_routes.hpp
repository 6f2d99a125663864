#pragma once
// The metric routes of api.md ("Metrics"): POST /api/v1/monitoring/metrics and /metrics/batch
// (writer), GET /metrics, /metrics/aggregate and /metrics/series (reader). Handlers validate with
// the domain parsers; reads go through MetricBodies (rendered from the tables, or cached text) and
// writes through store::MetricWriter.
#include "api/api_docs.hpp"

namespace utxoiq::http {
class Router;
}
namespace utxoiq::store {
class MetricWriter;
}  // namespace utxoiq::store

namespace utxoiq::api {

class MetricBodies;

struct MetricRoutesDeps {
  MetricBodies& bodies;
  store::MetricWriter& writer;
};

// The bodies and the writer must outlive the router.
void add_metric_routes(http::Router& router, MetricRoutesDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
