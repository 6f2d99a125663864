#pragma once
// Applies, rolls back and checks the migrations of a MigrationSet against one database, keeping
// the record in schema_migrations (created when missing):
//   version integer PRIMARY KEY, name text, checksum text, applied_at timestamptz,
//   execution_ms integer.
// Guarantees:
// - Each migration runs in a transaction of its own together with its schema_migrations row, so a
//   failing migration leaves neither schema changes nor a row behind.
// - up() and down() hold a session-level advisory lock (kAdvisoryLockKey) and read the applied
//   versions only once they hold it: a second instance migrating at the same time waits, then
//   finds nothing left to do, so no migration is applied twice.
// - up() refuses to run anything while an applied migration's file has changed (checksum) or when
//   it would have to apply a version below an applied one.
// The session-level lock needs a real session: do not migrate through a transaction-pooling proxy.
#include <cstdint>
#include <vector>

#include "ops/migration_error.hpp"
#include "ops/migration_report.hpp"
#include "ops/migration_set.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::ops {

class Migrator {
 public:
  // pg_advisory_lock key of migrations: "utxoiq" followed by 0x0001, as a big-endian int64.
  static constexpr std::int64_t kAdvisoryLockKey = 8463522019641720833;

  // Both must outlive the Migrator.
  Migrator(pg::BlockingConnection& connection, const MigrationSet& set)
      : connection_(connection), set_(set) {}

  // Every migration of the set with its state, plus applied versions the set lacks. Read-only:
  // does not create schema_migrations.
  MigrationStatusReport status();
  // Applies every pending migration in version order. Throws MigrationError (kChecksumMismatch,
  // kOutOfOrder before anything runs; kStatementFailed naming the failed migration, after the
  // earlier ones of this run were committed) or pg::BlockingConnectionError.
  MigrationReport up();
  // Rolls back the most recent applied migration only (its down file and its row, in one
  // transaction). Nothing applied: an empty report. Throws MigrationError (kUnknownVersion,
  // kChecksumMismatch for that migration, kStatementFailed).
  MigrationReport down();
  // Applied migrations whose file changed, and applied versions the set does not have; empty
  // when all is well. A whitespace-only change of a file is not a change (see
  // migration_checksum.hpp). Read-only.
  std::vector<VerifyIssue> verify();

 private:
  pg::BlockingConnection& connection_;
  const MigrationSet& set_;
};

}  // namespace utxoiq::ops
