#pragma once
// The metric routes of api.md ("Metrics"): POST /api/v1/monitoring/metrics and /metrics/batch
// (writer), GET /metrics, /metrics/aggregate and /metrics/series (reader). Handlers validate with
// the domain parsers and talk to the tables only through store::MetricReader / MetricWriter, so a
// caching reader can be slotted in without touching them.
namespace utxoiq::http {
class Router;
}
namespace utxoiq::store {
class MetricReader;
class MetricWriter;
}  // namespace utxoiq::store

namespace utxoiq::api {

// The reader and writer must outlive the router.
void add_metric_routes(http::Router& router, store::MetricReader& reader,
                       store::MetricWriter& writer);

}  // namespace utxoiq::api
