#pragma once
// Restores of a backup file: the weekly test restore (verify) and `backup restore ID --target DB`.
// Both check the file's SHA-256 against the catalogue first, run pg_restore (of the server's own
// major version) into a database created for it, and compare every table's row count and checksum
// in it with the manifest taken at backup time. Blocking; each holds the backup lock.
#include <optional>
#include <string>
#include <vector>

#include "ops/backup_engine.hpp"
#include "ops/backup_types.hpp"

namespace utxoiq::ops {

struct VerifyResult {
  BackupRecord record;  // as recorded after the verify (verified_at, verify_result, restore_ms)
  bool passed = false;
  std::vector<std::string> problems;  // why it failed: SHA-256, pg_restore, table differences
  std::int64_t restore_ms = 0;
};

// Restores backup `id` (the newest kept one when nullopt) into a scratch database on the same
// server, compares, records the result in the catalogue and drops the scratch database. A failed
// comparison is a result (passed = false), not an exception. Throws BackupNotFound, BackupBusy.
VerifyResult verify_backup(const BackupSettings& settings, const std::optional<std::string>& id);

struct RestoreRequest {
  std::string id;
  std::string target;  // database name, [a-z_][a-z0-9_]{0,62}
  bool force = false;  // replace a target that holds tables
};

struct RestoreResult {
  BackupRecord record;
  std::vector<TableSummary> tables;      // as restored
  std::vector<std::string> differences;  // from the manifest; empty when equal
};

// Throws std::invalid_argument (bad id or target name), BackupNotFound, BackupBusy,
// BackupFailure (stage restore: SHA-256 mismatch, non-empty target without force, pg_restore).
RestoreResult restore_backup(const BackupSettings& settings, const RestoreRequest& request);

// True for a database name restore accepts.
bool valid_database_name(const std::string& name);

}  // namespace utxoiq::ops
