// SelfMetricsPublisher and the snapshot rows (see self_metrics.hpp).
#include "app/self_metrics.hpp"

#include <sstream>

#include "obs/metrics.hpp"
#include "pg/pool.hpp"
#include "pg/query_insight.hpp"
#include "store/metric_store.hpp"
#include "util/uuid.hpp"

namespace utxoiq::app {

namespace {

struct HttpTotals {
  double requests = 0;
  double server_errors = 0;
  double open_connections = 0;
};

// Sums http_requests_total (all, and status 5xx) and reads http_open_connections from the text.
HttpTotals http_totals(const std::string& exposition) {
  HttpTotals totals;
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    const double value = std::strtod(line.c_str() + space + 1, nullptr);
    if (line.starts_with("http_requests_total{")) {
      totals.requests += value;
      if (line.find("status=\"5") != std::string::npos) totals.server_errors += value;
    } else if (line.starts_with("http_open_connections ")) {
      totals.open_connections = value;
    }
  }
  return totals;
}

class Rows {
 public:
  Rows(const std::string& instance_id, Timestamp at) : instance_(instance_id), at_(at) {}
  void add(std::string type, double value, std::string unit) {
    domain::Metric metric{.service_name = kSelfServiceName,
                          .metric_type = std::move(type),
                          .metric_value = value,
                          .unit = std::move(unit),
                          .timestamp = at_,
                          .metadata = boost::json::object{{"instance", instance_}}};
    rows_.push_back({new_uuid_v7_at(at_), std::move(metric)});
  }
  std::vector<domain::MetricRecord> take() { return std::move(rows_); }

 private:
  const std::string& instance_;
  Timestamp at_;
  std::vector<domain::MetricRecord> rows_;
};

void add_pool(Rows& rows, const std::string& name, const pg::PoolStats& s) {
  const std::string p = "pool." + name + ".";
  rows.add(p + "size", static_cast<double>(s.size), "connections");
  rows.add(p + "active", static_cast<double>(s.active), "connections");
  rows.add(p + "idle", static_cast<double>(s.idle), "connections");
  rows.add(p + "waiting", static_cast<double>(s.waiting), "requests");
  rows.add(p + "acquired_total", static_cast<double>(s.acquired_total), "count");
  rows.add(p + "acquire_timeouts_total", static_cast<double>(s.acquire_timeouts_total), "count");
}

void add_cache_level(Rows& rows, const std::string& prefix, const cache::CacheLevelStats& s) {
  rows.add(prefix + "hits", static_cast<double>(s.hits), "count");
  rows.add(prefix + "misses", static_cast<double>(s.misses), "count");
  if (const auto rate = s.hit_rate()) rows.add(prefix + "hit_rate", *rate, "ratio");
}

void add_queries(Rows& rows, const SelfFigures& f) {
  double calls = 0;
  double total_ms = 0;
  for (const auto& s : f.statements) {
    calls += static_cast<double>(s.calls);
    total_ms += s.total_ms;
  }
  rows.add("queries.statements", static_cast<double>(f.statements.size()), "count");
  rows.add("queries.calls_total", calls, "count");
  rows.add("queries.time_total", total_ms, "ms");
  if (calls > 0) rows.add("queries.mean", total_ms / calls, "ms");
  rows.add("queries.slow_listed", static_cast<double>(f.slow_statements), "count");
  rows.add("queries.n_plus_one_listed", static_cast<double>(f.n_plus_one), "count");
}

}  // namespace

std::vector<domain::MetricRecord> self_metric_records(const SelfFigures& figures,
                                                      const std::string& instance_id,
                                                      Timestamp at) {
  Rows rows(instance_id, at);
  if (figures.pool) add_pool(rows, figures.pool_name, *figures.pool);
  for (const auto& c : figures.caches.caches) {
    add_cache_level(rows, "cache." + c.name + ".l1.", c.l1);
    add_cache_level(rows, "cache." + c.name + ".l2.", c.l2);
  }
  add_queries(rows, figures);
  const HttpTotals http = http_totals(figures.exposition);
  rows.add("http.requests_total", http.requests, "count");
  rows.add("http.server_errors_total", http.server_errors, "count");
  rows.add("http.open_connections", http.open_connections, "connections");
  return rows.take();
}

SelfMetricsPublisher::SelfMetricsPublisher(pg::Pool& pool, cache::CacheSet& caches,
                                           const pg::QueryInsight& insight,
                                           store::MetricWriter& writer)
    : pool_(pool), caches_(caches), insight_(insight), writer_(writer) {}

Task<std::int64_t> SelfMetricsPublisher::publish() {
  // Plain statements only: GCC 12 mishandles co_await inside aggregate initializers and
  // temporaries that live across a co_await.
  SelfFigures figures;
  figures.caches = co_await caches_.stats();
  figures.pool_name = pool_.options().name;
  figures.pool = pool_.stats();
  figures.statements = insight_.statements();
  figures.slow_statements = insight_.slow_statements().size();
  figures.n_plus_one = insight_.n_plus_one().size();
  figures.exposition = obs::default_registry().expose();
  const std::vector<domain::MetricRecord> rows =
      self_metric_records(figures, caches_.instance_id(), now_utc());
  const std::optional<store::IdempotencyClaim> no_claim;
  const store::WriteOutcome outcome = co_await writer_.insert(rows, no_claim);
  co_return outcome.inserted;
}

}  // namespace utxoiq::app
