#pragma once
// Retention's Prometheus metrics, registered at service start (so the alert rules in
// deploy/prometheus/retention_rules.yml see them before the first run). The two timestamps are
// loaded from retention_runs at start (prime_retention_metrics), so they survive restarts and
// every instance reports the newest run of any instance as of its start; the rules take the max
// over instances.
//   utxoiq_retention_last_success_timestamp_seconds   gauge, 0 until a real run succeeds
//   utxoiq_retention_last_failure_timestamp_seconds   gauge, 0 until a real run fails
//   utxoiq_retention_last_run_failed                  gauge, 1 while this instance's newest real
//                                                     run failed
//   utxoiq_retention_failures_total                   counter of failed runs (dry ones included)
//   utxoiq_retention_rows_archived_total{table}       counter
//   utxoiq_retention_rows_deleted_total{table}        counter
#include "ops/retention.hpp"

namespace utxoiq::pg {
class BlockingConnection;
}

namespace utxoiq::ops {

void register_retention_metrics();
void record_retention_metrics(const RetentionReport& report);
// Sets the timestamps from the newest succeeded and failed real runs in retention_runs.
void prime_retention_metrics(pg::BlockingConnection& db);

}  // namespace utxoiq::ops
