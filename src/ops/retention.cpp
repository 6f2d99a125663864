// run_retention (see retention.hpp): the lock, the audit row, the policies in order, the metrics.
#include "ops/retention.hpp"

#include <exception>

#include "obs/logging.hpp"
#include "ops/retention_metrics.hpp"
#include "ops/retention_steps.hpp"
#include "pg/blocking_connection.hpp"
#include "pg/session_lock.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::ops {

namespace {

const std::string kKey = std::to_string(kRetentionLockKey);

void run_policies(RetentionContext& ctx, const RetentionOptions& options, Timestamp now,
                  RetentionReport& report) {
  if (!options.dry_run) report.completed_rows = complete_unfinished(ctx, options.periods);
  for (const auto& policy : retention_policies(options.periods)) {
    auto& policy_report = report.policies.emplace_back();
    policy_report.table = policy.table;
    policy_report.cutoff = policy.cutoff(now);
    if (options.dry_run) {
      count_expired(ctx.db, policy, policy_report.cutoff, policy_report);
      continue;
    }
    if (policy.table == "system_metrics") {
      retain_by_partitions(ctx, policy, policy_report.cutoff, policy_report);
    }
    retain_by_rows(ctx, policy, policy_report.cutoff, options.chunk_rows, policy_report);
    obs::log_info("retention policy applied", {{"run_id", report.run_id},
                                               {"table", policy.table},
                                               {"cutoff", format_rfc3339(policy_report.cutoff)},
                                               {"archived", policy_report.archived},
                                               {"deleted", policy_report.deleted}});
  }
  if (!options.dry_run) {
    report.cold_archives_removed = remove_cold_archives(ctx, options.periods, now);
  }
}

}  // namespace

RetentionReport run_retention(const std::string& database_url, ArchiveSink& sink,
                              const RetentionOptions& options) {
  pg::BlockingConnection db(database_url);
  db.exec("SET TimeZone = 'UTC'");
  const pg::SessionLock lock(db, kKey);  // given back however the run ends
  if (!lock.held()) throw RetentionBusy();
  RetentionReport report;
  report.dry_run = options.dry_run;
  report.started_at = now_utc();
  const Timestamp now = options.now.value_or(report.started_at);
  bool stopped = false;
  try {
    report.run_id = begin_run_row(db, options);
    RetentionContext ctx{db,
                         sink,
                         report.run_id,
                         schema_version(db),
                         options.delete_batch,
                         options.should_stop,
                         options.on_stage};
    run_policies(ctx, options, now, report);
    report.status = "succeeded";
  } catch (const std::exception& e) {
    report.status = "failed";
    report.error = e.what();
    stopped = dynamic_cast<const RetentionStopped*>(&e) != nullptr;
  }
  report.finished_at = now_utc();
  if (!stopped) record_retention_metrics(report);  // a stop is no failure to alert on
  if (report.status == "failed") {
    obs::log_error("retention run failed", {{"run_id", report.run_id}, {"error", report.error}});
  } else {
    obs::log_info("retention run finished",
                  {{"run_id", report.run_id}, {"dry_run", report.dry_run}});
  }
  if (report.run_id != 0 && db.is_ok()) {
    if (db.in_transaction()) db.exec("ROLLBACK");
    finish_run_row(db, report);
  }
  return report;
}

}  // namespace utxoiq::ops
