#pragma once
// The bodies of the metric reads — GET /metrics, /metrics/aggregate and /metrics/series — as JSON
// text, behind one small interface: RenderedMetricBodies asks a store::MetricReader and renders
// what it returns; CachedMetricBodies (cached_metric_bodies.hpp) keeps the text itself, so a cache
// hit is sent as it is, without parsing or rendering.
#include <string>

#include "domain/metric_queries.hpp"
#include "util/task.hpp"

namespace utxoiq::store {
class MetricReader;
}

namespace utxoiq::api {

class MetricBodies {
 public:
  virtual ~MetricBodies() = default;
  // {metrics: [...], next_cursor}
  virtual Task<std::string> range(const domain::MetricRangeQuery& query) = 0;
  // {service_name, metric_type, interval, buckets: [...]}
  virtual Task<std::string> aggregate(const domain::MetricAggregateQuery& query) = 0;
  // {series: [...]}
  virtual Task<std::string> series() = 0;
};

class RenderedMetricBodies final : public MetricBodies {
 public:
  // `reader` must outlive this object.
  explicit RenderedMetricBodies(store::MetricReader& reader) : reader_(reader) {}

  Task<std::string> range(const domain::MetricRangeQuery& query) override;
  Task<std::string> aggregate(const domain::MetricAggregateQuery& query) override;
  Task<std::string> series() override;

 private:
  store::MetricReader& reader_;
};

}  // namespace utxoiq::api
