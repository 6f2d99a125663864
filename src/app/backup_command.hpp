#pragma once
// `utxoiq-store backup run | list | verify [ID] | restore ID --target DBNAME [--force]`: the
// backups of ops/backup_engine.hpp from the command line, on the same database and directories as
// `serve` (--database-url / --data-dir, --backup-dir, --backup-mirror-dir). Exit codes: 0 done;
// 1 the operation failed (a failed verify, a refused restore, another operation running); 2 a bad
// id or target name; 3 database unreachable.
#include <string>

#include "app/config.hpp"
#include "ops/backup_engine.hpp"

namespace utxoiq::app {

struct BackupArgs {
  DatabaseOptions database;
  BackupConfig backup;
  std::string action;  // run | list | verify | restore
  std::string id;      // verify (optional), restore
  std::string target;  // restore
  bool force = false;  // restore over a non-empty target
};

int run_backup_command(const BackupArgs& args);

// The settings of the backup operations for the database at `database_url`.
ops::BackupSettings backup_settings(const DatabaseOptions& database, const BackupConfig& backup,
                                    const std::string& database_url);

}  // namespace utxoiq::app
