#pragma once
// Entry points of `utxoiq-store migrate status|up|down|verify|create` (and of `serve`, which
// migrates up at start): each opens its own connection, runs one Migrator operation and returns
// a plain report. Errors: pg::BlockingConnectionError (connect or SQL), MigrationError (refused
// or failed run), MigrationSetError (invalid migration files).
#include <string>
#include <vector>

#include "ops/migration_create.hpp"
#include "ops/migration_error.hpp"
#include "ops/migration_report.hpp"
#include "ops/migration_runner.hpp"
#include "ops/migration_set.hpp"

namespace utxoiq::ops {

MigrationReport migrate_up(const std::string& conninfo, const MigrationSet& set);
MigrationReport migrate_down(const std::string& conninfo, const MigrationSet& set);
MigrationStatusReport migration_status(const std::string& conninfo, const MigrationSet& set);
// Non-empty means the database and the binary disagree: the CLI exits non-zero.
std::vector<VerifyIssue> verify_migrations(const std::string& conninfo, const MigrationSet& set);

}  // namespace utxoiq::ops
