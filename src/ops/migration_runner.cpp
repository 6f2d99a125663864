// The Migrator of migration_runner.hpp: schema_migrations bookkeeping, the advisory lock and one
// transaction per migration.
#include "ops/migration_runner.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <string>

namespace utxoiq::ops {
namespace {

constexpr const char* kCreateTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version      integer     PRIMARY KEY,
  name         text        NOT NULL,
  checksum     text        NOT NULL,
  applied_at   timestamptz NOT NULL DEFAULT now(),
  execution_ms integer     NOT NULL
))sql";

constexpr const char* kSelectApplied = R"sql(
SELECT version, name, checksum,
       to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS applied_at,
       execution_ms
FROM schema_migrations
ORDER BY version)sql";

// Session-level, so it spans the several transactions of one run; released on every way out (and
// by the server if the session dies).
class AdvisoryLock {
 public:
  explicit AdvisoryLock(pg::BlockingConnection& connection) : connection_(connection) {
    connection_.exec_params("SELECT pg_advisory_lock($1)", {key()});
  }
  ~AdvisoryLock() {
    try {
      if (connection_.is_ok()) connection_.exec_params("SELECT pg_advisory_unlock($1)", {key()});
    } catch (...) {
      // The session is broken; the server releases the lock when it ends.
    }
  }
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  static std::optional<std::string> key() { return std::to_string(Migrator::kAdvisoryLockKey); }
  pg::BlockingConnection& connection_;
};

std::int64_t to_int64(const std::optional<std::string>& text) {
  return text ? std::stoll(*text) : 0;
}

bool table_exists(pg::BlockingConnection& connection) {
  const auto result =
      connection.exec_params("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  return result.rows.at(0).at(0) == "t";
}

std::vector<AppliedMigration> read_applied(pg::BlockingConnection& connection) {
  std::vector<AppliedMigration> applied;
  if (!table_exists(connection)) return applied;
  const auto result = connection.exec_params(kSelectApplied);
  for (std::size_t row = 0; row < result.rows.size(); ++row) {
    applied.push_back(AppliedMigration{
        static_cast<int>(to_int64(result.at(row, "version"))),
        result.at(row, "name").value_or(""),
        result.at(row, "checksum").value_or(""),
        result.at(row, "applied_at").value_or(""),
        to_int64(result.at(row, "execution_ms")),
    });
  }
  return applied;
}

int highest_version(const std::vector<AppliedMigration>& applied) {
  int highest = 0;
  for (const auto& row : applied) highest = std::max(highest, row.version);
  return highest;
}

std::string mismatch_message(const Migration& migration, const AppliedMigration& row) {
  return "migration " + migration.id() + " was changed after it was applied (checksum " +
         row.checksum + " recorded, file has " + migration.checksum + ")";
}

void rollback_quietly(pg::BlockingConnection& connection) {
  try {
    if (connection.is_ok() && connection.in_transaction()) connection.exec("ROLLBACK");
  } catch (...) {
    // A lost connection rolls the transaction back on the server anyway.
  }
}

// Runs a migration's SQL, then `record(execution_ms)` (its schema_migrations change), in one
// transaction; returns execution_ms. Any failure rolls both back and throws kStatementFailed.
template <typename Record>
std::int64_t run_in_transaction(pg::BlockingConnection& connection, const Migration& migration,
                                const std::string& sql, std::string_view what, Record record) {
  try {
    connection.exec("BEGIN");
    const auto start = std::chrono::steady_clock::now();
    connection.exec(sql);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    const auto execution_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    record(static_cast<std::int64_t>(execution_ms));
    connection.exec("COMMIT");
    return execution_ms;
  } catch (const pg::BlockingConnectionError& error) {
    rollback_quietly(connection);
    throw MigrationError(MigrationErrorKind::kStatementFailed, migration.version,
                         std::string(what) + " of migration " + migration.id() +
                             " failed and was rolled back: " + error.what(),
                         error.sqlstate());
  }
}

}  // namespace

MigrationStatusReport Migrator::status() {
  const auto applied = read_applied(connection_);
  std::map<int, const AppliedMigration*> by_version;
  for (const auto& row : applied) by_version[row.version] = &row;

  MigrationStatusReport report;
  report.current_version = highest_version(applied);
  for (const Migration& migration : set_.migrations()) {
    MigrationStatusEntry entry{migration.version, migration.name, false, {}, {}, true};
    if (const auto it = by_version.find(migration.version); it != by_version.end()) {
      entry.applied = true;
      entry.applied_at = it->second->applied_at;
      entry.execution_ms = it->second->execution_ms;
      entry.checksum_ok = it->second->checksum == migration.checksum;
    }
    report.migrations.push_back(std::move(entry));
  }
  for (const auto& row : applied) {
    if (set_.find(row.version) == nullptr) report.unknown_applied.push_back(row);
  }
  return report;
}

MigrationReport Migrator::up() {
  AdvisoryLock lock(connection_);
  connection_.exec(kCreateTable);
  // Read only now that the lock is held: another instance may have migrated while we waited.
  const auto applied = read_applied(connection_);

  std::vector<std::string> mismatches;
  int first_mismatch = 0;
  std::map<int, const AppliedMigration*> by_version;
  for (const auto& row : applied) {
    by_version[row.version] = &row;
    const Migration* migration = set_.find(row.version);
    if (migration != nullptr && migration->checksum != row.checksum) {
      if (first_mismatch == 0) first_mismatch = row.version;
      mismatches.push_back(mismatch_message(*migration, row));
    }
  }
  if (!mismatches.empty()) {
    std::string message = "refusing to migrate: ";
    for (std::size_t i = 0; i < mismatches.size(); ++i) {
      message += (i == 0 ? "" : "; ") + mismatches[i];
    }
    throw MigrationError(
        MigrationErrorKind::kChecksumMismatch, first_mismatch,
        message + ". Restore the applied file(s); changes go into a new migration");
  }

  MigrationReport report;
  report.version_before = highest_version(applied);
  std::vector<const Migration*> pending;
  for (const Migration& migration : set_.migrations()) {
    if (by_version.contains(migration.version)) continue;
    if (migration.version < report.version_before) {
      throw MigrationError(MigrationErrorKind::kOutOfOrder, migration.version,
                           "refusing to migrate: migration " + migration.id() +
                               " is not applied but the later version " +
                               std::to_string(report.version_before) + " is");
    }
    pending.push_back(&migration);
  }

  report.version_after = report.version_before;
  for (const Migration* migration : pending) {
    const auto execution_ms =
        run_in_transaction(connection_, *migration, migration->up_sql, "up", [&](std::int64_t ms) {
          connection_.exec_params(
              "INSERT INTO schema_migrations (version, name, checksum, applied_at, execution_ms) "
              "VALUES ($1, $2, $3, now(), $4)",
              {std::to_string(migration->version), migration->name, migration->checksum,
               std::to_string(ms)});
        });
    report.steps.push_back(MigrationStep{migration->version, migration->name, execution_ms});
    report.version_after = migration->version;
  }
  return report;
}

MigrationReport Migrator::down() {
  AdvisoryLock lock(connection_);
  const auto applied = read_applied(connection_);
  MigrationReport report;
  report.version_before = highest_version(applied);
  report.version_after = report.version_before;
  if (applied.empty()) return report;

  const AppliedMigration& latest = applied.back();  // ordered by version
  const Migration* migration = set_.find(latest.version);
  if (migration == nullptr) {
    throw MigrationError(MigrationErrorKind::kUnknownVersion, latest.version,
                         "cannot roll back version " + std::to_string(latest.version) + " (" +
                             latest.name + "): this binary has no such migration");
  }
  if (migration->checksum != latest.checksum) {
    throw MigrationError(MigrationErrorKind::kChecksumMismatch, latest.version,
                         "refusing to roll back: " + mismatch_message(*migration, latest));
  }
  const auto execution_ms =
      run_in_transaction(connection_, *migration, migration->down_sql, "down", [&](std::int64_t) {
        connection_.exec_params("DELETE FROM schema_migrations WHERE version = $1",
                                {std::to_string(migration->version)});
      });
  report.steps.push_back(MigrationStep{migration->version, migration->name, execution_ms});
  report.version_after = applied.size() > 1 ? applied[applied.size() - 2].version : 0;
  return report;
}

std::vector<VerifyIssue> Migrator::verify() {
  std::vector<VerifyIssue> issues;
  for (const auto& row : read_applied(connection_)) {
    const Migration* migration = set_.find(row.version);
    if (migration == nullptr) {
      issues.push_back(
          VerifyIssue{VerifyProblem::kMissingFile, row.version, row.name, row.checksum, ""});
    } else if (migration->checksum != row.checksum) {
      issues.push_back(VerifyIssue{VerifyProblem::kChecksumMismatch, row.version, row.name,
                                   row.checksum, migration->checksum});
    }
  }
  return issues;
}

}  // namespace utxoiq::ops
