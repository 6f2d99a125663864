#pragma once
// Exit codes of every utxoiq-store command; documented in README.md ("Exit codes").

namespace utxoiq::app {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,              // an unexpected runtime error (the message says which)
  kExitUsage = 2,                // a bad flag, value or subcommand
  kExitDatabaseUnreachable = 3,  // PostgreSQL could not be reached (after retries)
  kExitListenFailed = 4,         // the HTTP address is in use or cannot be bound
  kExitMigrationFailed = 5,      // a migration failed, or verify found a changed/missing file
  kExitEmbeddedFailed = 6,       // the embedded PostgreSQL or redis-server could not be started
};

}  // namespace utxoiq::app
