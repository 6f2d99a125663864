#pragma once
// `utxoiq-store db advise [--statement SQL]...`: the index advisor from the command line
// (ops/index_advisor.hpp): the catalog checks (unused, duplicate, invalid indexes) and, for each
// statement given, the index hypopg shows would halve its cost. Prints the same JSON as
// GET /monitoring/database/indexes. A running service's own statements are checked by that
// route (the CLI does not see them). Never creates an index.
#include <string>
#include <vector>

#include "app/config.hpp"

namespace utxoiq::app {

struct DbArgs {
  DatabaseOptions database;
  std::string action;  // advise
  std::vector<std::string> statements;
  long long min_unused_bytes = 1 << 20;
};

int run_db(const DbArgs& args);

}  // namespace utxoiq::app
