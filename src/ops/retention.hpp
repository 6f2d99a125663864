#pragma once
// Retention (requirement 7): archive, prove the archive, then delete — audited in retention_runs
// and retention_archives, logged, and counted in Prometheus metrics (ops/retention_metrics.hpp).
//
// A run, real or dry, holds a session advisory lock (kRetentionLockKey): a second run at the same
// time, from any instance, is refused with RetentionBusy. A real run first completes what an
// earlier run left unfinished (the process died): an archive 'written' but not verified is
// removed (its rows are still in the table and are archived again), a 'verified' one is read back,
// checked again and its rows deleted. Then, per policy (ops/retention_policy.hpp):
//  - metrics: each day partition whose whole range is older than the cutoff is archived as one
//    archive, then detached and dropped — only if, under the detach's lock, it holds exactly the
//    archived rows (else its rows are deleted by key, and a late row stays);
//  - every other expired row (jobs, feedback, metrics in DEFAULT or in the partition straddling
//    the cutoff) is archived in chunks of `chunk_rows` in (time, id) order, and deleted by key.
// Last, metric archives older than the cold period are removed from the sink, audited as
// 'removed'. A dry run counts what a real run would archive and delete, and changes nothing but
// its own audit row.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ops/retention_policy.hpp"
#include "util/time.hpp"

namespace utxoiq::ops {

class ArchiveSink;

// Key of pg_try_advisory_lock for retention runs ("utxoiqRT" as bytes).
inline constexpr std::int64_t kRetentionLockKey = 0x7574786F69715254;

// Thrown inside a run when should_stop() said so; the run records it and returns.
class RetentionStopped : public std::runtime_error {
 public:
  RetentionStopped() : std::runtime_error("stopped before the end; the next run goes on") {}
};

class RetentionBusy : public std::runtime_error {
 public:
  RetentionBusy() : std::runtime_error("a retention run is in progress") {}
};

struct RetentionOptions {
  RetentionPeriods periods;
  bool dry_run = false;
  std::string trigger = "cli";  // cli | api | schedule
  std::int64_t chunk_rows = 100'000;
  std::int64_t delete_batch = 5'000;
  std::optional<Timestamp> now;  // default: the clock
  // Polled between archives: when it returns true the run ends early (status failed, error
  // "stopped"), leaving what it did consistent; the next run goes on from there.
  std::function<bool()> should_stop;
  // Test hook (see RetentionContext::on_stage).
  std::function<void(std::string_view stage, const std::string& data_name)> on_stage;
};

struct PolicyReport {
  std::string table;
  Timestamp cutoff{};
  std::int64_t archived = 0;
  std::int64_t deleted = 0;
  std::int64_t partitions_dropped = 0;
  std::vector<std::string> archive_uris;
  std::vector<std::string> sha256s;
};

struct RetentionReport {
  std::int64_t run_id = 0;
  bool dry_run = false;
  std::string status;  // succeeded | failed
  std::string error;
  Timestamp started_at{};
  Timestamp finished_at{};
  std::vector<PolicyReport> policies;
  std::int64_t completed_rows = 0;  // deleted for archives an earlier, unfinished run made
  std::int64_t cold_archives_removed = 0;
};

// Runs retention on `database_url`. A failure after the run began is recorded (status failed,
// error) and returned, not thrown; throws RetentionBusy while another run holds the lock, and
// what a failed connect throws.
RetentionReport run_retention(const std::string& database_url, ArchiveSink& sink,
                              const RetentionOptions& options);

}  // namespace utxoiq::ops
