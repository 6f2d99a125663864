#pragma once
// `utxoiq-store retention run [--dry-run] | runs [--limit N] | restore ARCHIVE [--into TABLE]`:
// a retention run now (printed as the JSON of the HTTP route; exit 1 when it failed or another
// run is in progress), the audit trail, and the load of an archive back into its table or
// a scratch table after checking it (ops/retention_restore.hpp).
#include <string>

#include "app/config.hpp"

namespace CLI {
class App;
}

namespace utxoiq::app {

struct RetentionArgs {
  DatabaseOptions database;
  RetentionSettings settings;
  std::string action;  // run | runs | restore
  bool dry_run = false;
  int limit = 20;
  std::string archive;
  std::string into;
};

// The `retention` subcommand; the caller adds the database options to it.
CLI::App* add_retention_command(CLI::App& cli, RetentionArgs& args);
int run_retention_command(const RetentionArgs& args);

}  // namespace utxoiq::app
