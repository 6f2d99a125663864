#pragma once
// The service's own figures as rows of system_metrics (service_name "utxoiq-store", metadata
// {"instance": id}), written by POST /monitoring/database/publish-metrics and once a minute, so
// each instance's pool, cache, statement and HTTP figures can be read back (and aggregated)
// through GET /monitoring/metrics like any other service's. metric_type names the figure:
// pool.<name>.<figure>, cache.<cache>.<level>.<figure>, queries.<figure>, http.<figure>.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cache/cache_set.hpp"
#include "domain/metric.hpp"
#include "pg/pool_stats.hpp"
#include "pg/statement_stats.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {
class Pool;
class QueryInsight;
}  // namespace utxoiq::pg
namespace utxoiq::store {
class MetricWriter;
}

namespace utxoiq::app {

inline constexpr const char* kSelfServiceName = "utxoiq-store";

struct SelfFigures {
  std::string pool_name;
  std::optional<pg::PoolStats> pool;
  cache::CacheSetStats caches;
  std::vector<pg::StatementFigures> statements;
  std::size_t slow_statements = 0;  // listed now (the last 100 at most)
  std::size_t n_plus_one = 0;
  std::string exposition;  // the /metrics text, for the HTTP counters
};

// Pure: the rows for one snapshot (ids made here).
std::vector<domain::MetricRecord> self_metric_records(const SelfFigures& figures,
                                                      const std::string& instance_id, Timestamp at);

class SelfMetricsPublisher {
 public:
  SelfMetricsPublisher(pg::Pool& pool, cache::CacheSet& caches, const pg::QueryInsight& insight,
                       store::MetricWriter& writer);
  // Writes one snapshot; returns the number of rows written.
  Task<std::int64_t> publish();

 private:
  pg::Pool& pool_;
  cache::CacheSet& caches_;
  const pg::QueryInsight& insight_;
  store::MetricWriter& writer_;
};

}  // namespace utxoiq::app
