#pragma once
// Retention's Prometheus metrics, registered at service start (so the alert rules in
// deploy/prometheus/retention_rules.yml see them before the first run):
//   utxoiq_retention_last_success_timestamp_seconds   gauge, 0 until a real run succeeds
//   utxoiq_retention_last_run_failed                  gauge, 1 while the newest real run failed
//   utxoiq_retention_failures_total                   counter of failed runs (dry ones included)
//   utxoiq_retention_rows_archived_total{table}       counter
//   utxoiq_retention_rows_deleted_total{table}        counter
#include "ops/retention.hpp"

namespace utxoiq::ops {

void register_retention_metrics();
void record_retention_metrics(const RetentionReport& report);

}  // namespace utxoiq::ops
