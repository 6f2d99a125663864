#pragma once
// MetricReader on PostgreSQL: the range query by the (service_name, metric_type, "timestamp")
// index with partition pruning, aggregates from the hourly rollups plus raw rows for partial edge
// hours (aggregate_plan.hpp), and the series catalogue table by its primary key.
#include "store/metric_store.hpp"

namespace utxoiq::pg {
class Pool;
}

namespace utxoiq::store {

class PgMetricReader final : public MetricReader {
 public:
  explicit PgMetricReader(pg::Pool& pool) : pool_(pool) {}

  Task<MetricPage> range(const domain::MetricRangeQuery& query) override;
  Task<std::vector<domain::MetricBucket>> aggregate(
      const domain::MetricAggregateQuery& query) override;
  Task<MetricSeriesPage> series(const domain::MetricSeriesQuery& query) override;

 private:
  pg::Pool& pool_;
};

}  // namespace utxoiq::store
