// See retention_metrics.hpp.
#include "ops/retention_metrics.hpp"

#include "obs/metrics.hpp"

namespace utxoiq::ops {

namespace {

struct RetentionMetrics {
  obs::Gauge& last_success;
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
  if (!failed) {
    m.last_success.set(static_cast<double>(to_unix_micros(report.finished_at)) / 1e6);
  }
  for (const auto& p : report.policies) {
    m.archived.labels({p.table}).inc(static_cast<double>(p.archived));
    m.deleted.labels({p.table}).inc(static_cast<double>(p.deleted));
  }
}

}  // namespace utxoiq::ops
