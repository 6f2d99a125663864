#pragma once
// Backups of the service's database (requirement 8): `pg_dump -Fc` of one consistent snapshot
// with a manifest taken in that same snapshot, a second copy checked by reading it back, GFS
// retention, test restores (verify) and restores into a named database. Blocking: the CLI calls it
// directly, the service on a worker thread (app/backup_jobs).
//
// One operation at a time across every process and instance: each holds a session advisory lock
// for its whole run, and another that finds it taken gets BackupBusy at once.
//
// A backup:
//  1. a row `running` in `backups`;
//  2. BEGIN ISOLATION LEVEL REPEATABLE READ, pg_export_snapshot(), the manifest in it, then
//     pg_dump --snapshot=<that snapshot> while the transaction stays open, so the dump and the
//     manifest see exactly the same rows whatever is written meanwhile;
//  3. the dump is written to ".NAME.partial", fsynced, hashed, renamed, the directory fsynced;
//  4. copied to the mirror directory, read back there and its SHA-256 compared: a missing or
//     different copy fails the backup (stage "mirror") and its files are removed;
//  5. the row `succeeded`, then GFS retention deletes what it gives up in both locations.
// A failure marks the row failed with its stage and throws BackupFailure.
#include <optional>
#include <string>
#include <vector>

#include "ops/backup_types.hpp"
#include "ops/gfs_retention.hpp"
#include "util/time.hpp"

namespace utxoiq::ops {

struct BackupSettings {
  std::string database_url;
  std::string backup_dir;  // created when missing
  std::string mirror_dir;  // the second location; must exist; empty: no second copy
  std::string pg_bin_dir;  // empty: /usr/lib/postgresql/<server major>/bin
  GfsPolicy retention;
};

struct BackupRunResult {
  BackupRecord record;
  std::vector<std::string> deleted;            // ids retention deleted
  std::optional<std::string> retention_error;  // the backup stands; retention failed
};

// Throws BackupBusy, BackupFailure (stage dump or mirror), pg::BlockingConnectionError when the
// catalogue cannot be reached.
BackupRunResult run_backup(const BackupSettings& settings, Timestamp now = now_utc());

// The catalogue, newest first (deleted backups left out unless asked).
std::vector<BackupRecord> list_backups(const BackupSettings& settings,
                                       bool include_deleted = false);

// "daily" or "weekly" (a backup started on a Sunday, UTC, the day of the weekly verify).
std::string backup_kind(Timestamp started_at);

}  // namespace utxoiq::ops
