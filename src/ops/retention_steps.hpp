#pragma once
// The parts of a retention run (ops/retention.hpp), one file each: the row path and the
// partition path of a policy, the dry count, the completion of unfinished archives, the removal
// of cold archives, and the audit rows.
#include <cstdint>
#include <string>

#include "ops/retention.hpp"
#include "ops/retention_archiver.hpp"

namespace utxoiq::ops {

// Archives and deletes every expired row of `policy` by rows, in chunks.
void retain_by_rows(RetentionContext& ctx, const RetentionPolicy& policy, Timestamp cutoff,
                    std::int64_t chunk_rows, PolicyReport& report);
// Metrics: archives and drops the day partitions wholly older than `cutoff`.
void retain_by_partitions(RetentionContext& ctx, const RetentionPolicy& policy, Timestamp cutoff,
                          PolicyReport& report);
// What a real run would archive and delete now.
void count_expired(pg::BlockingConnection& db, const RetentionPolicy& policy, Timestamp cutoff,
                   PolicyReport& report);

// Completes the archives an earlier run left 'written' or 'verified'; returns the rows deleted.
std::int64_t complete_unfinished(RetentionContext& ctx, const RetentionPeriods& periods);
// Removes metric archives made more than `metrics_cold_days` before `now`; returns how many.
std::int64_t remove_cold_archives(RetentionContext& ctx, const RetentionPeriods& periods,
                                  Timestamp now);

// retention_runs: a new 'running' row, and its end.
std::int64_t begin_run_row(pg::BlockingConnection& db, const RetentionOptions& options);
void finish_run_row(pg::BlockingConnection& db, const RetentionReport& report);
// The newest applied migration version, as text ("4").
std::string schema_version(pg::BlockingConnection& db);

}  // namespace utxoiq::ops
