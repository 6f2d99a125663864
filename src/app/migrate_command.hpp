#pragma once
// `utxoiq-store migrate status|up|down|verify|create NAME`: prints what the migration engine
// (ops/migrations) reports, one line per migration.
#include <string>

#include "app/config.hpp"

namespace utxoiq::app {

struct MigrateArgs {
  DatabaseOptions database;
  std::string action;          // status | up | down | verify | create
  std::string name;            // for create
  std::string migrations_dir;  // empty: the migrations compiled into the binary
};

int run_migrate(const MigrateArgs& args);

}  // namespace utxoiq::app
