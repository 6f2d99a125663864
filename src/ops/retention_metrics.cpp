// See retention_metrics.hpp.
#include "ops/retention_metrics.hpp"

#include "obs/metrics.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::ops {

namespace {

struct RetentionMetrics {
  obs::Gauge& last_success;
  obs::Gauge& last_failure;
  obs::Gauge& last_failed;
  obs::Counter& failures;
  obs::Family<obs::Counter>& archived;
  obs::Family<obs::Counter>& deleted;
};

RetentionMetrics& metrics() {
  auto& registry = obs::default_registry();
  static RetentionMetrics m{
      registry
          .gauge("utxoiq_retention_last_success_timestamp_seconds",
                 "Unix time of the end of the newest successful real retention run")
          .get(),
      registry
          .gauge("utxoiq_retention_last_failure_timestamp_seconds",
                 "Unix time of the end of the newest failed real retention run")
          .get(),
      registry.gauge("utxoiq_retention_last_run_failed", "1 while the newest real run failed")
          .get(),
      registry.counter("utxoiq_retention_failures_total", "Failed retention runs").get(),
      registry.counter("utxoiq_retention_rows_archived_total", "Rows archived by retention",
                       {"table"}),
      registry.counter("utxoiq_retention_rows_deleted_total", "Rows deleted by retention",
                       {"table"})};
  return m;
}

}  // namespace

void register_retention_metrics() {
  auto& m = metrics();
  for (const auto& policy : retention_policies({})) {
    m.archived.labels({policy.table});
    m.deleted.labels({policy.table});
  }
}

void record_retention_metrics(const RetentionReport& report) {
  auto& m = metrics();
  const bool failed = report.status != "succeeded";
  if (failed) m.failures.inc();
  if (report.dry_run) return;
  m.last_failed.set(failed ? 1 : 0);
  const double end = static_cast<double>(to_unix_micros(report.finished_at)) / 1e6;
  (failed ? m.last_failure : m.last_success).set(end);
  for (const auto& p : report.policies) {
    m.archived.labels({p.table}).inc(static_cast<double>(p.archived));
    m.deleted.labels({p.table}).inc(static_cast<double>(p.deleted));
  }
}

}  // namespace utxoiq::ops

namespace utxoiq::ops {

void prime_retention_metrics(pg::BlockingConnection& db) {
  const auto result = db.exec(
      "SELECT coalesce(max(extract(epoch FROM finished_at)) FILTER (WHERE status = 'succeeded'), "
      "0), coalesce(max(extract(epoch FROM finished_at)) FILTER (WHERE status = 'failed'), 0) "
      "FROM retention_runs WHERE NOT dry_run");
  auto& m = metrics();
  m.last_success.set(std::stod(*result.rows.at(0).at(0)));
  m.last_failure.set(std::stod(*result.rows.at(0).at(1)));
}

}  // namespace utxoiq::ops
