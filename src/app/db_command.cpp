// `db advise` (see db_command.hpp).
#include "app/db_command.hpp"

#include <boost/json/serialize.hpp>
#include <iostream>

#include "api/monitoring_indexes_routes.hpp"
#include "app/command_failures.hpp"
#include "app/database_target.hpp"
#include "app/exit_codes.hpp"
#include "ops/index_advisor.hpp"
#include "pg/blocking_connection.hpp"
#include "pg/statement_fingerprint.hpp"

namespace utxoiq::app {

namespace {

int advise(const DbArgs& args) {
  DatabaseTarget target(args.database);
  pg::BlockingConnection connection(target.url());
  std::vector<ops::AdvisedStatement> statements;
  for (const auto& sql : args.statements)
    statements.push_back({pg::identify_statement(sql).id, sql, {}});
  ops::IndexAdvisorOptions options;
  options.min_unused_bytes = args.min_unused_bytes;
  const auto advice = ops::advise_indexes(connection, statements, options);
  std::cout << boost::json::serialize(api::index_advice_json(advice)) << "\n";
  return kExitOk;
}

}  // namespace

int run_db(const DbArgs& args) {
  return run_reporting_failures("db " + args.action, kExitFailure, [&args] {
    if (args.action == "advise") return advise(args);
    std::cerr << "utxoiq-store: unknown db action " << args.action << "\n";
    return static_cast<int>(kExitUsage);
  });
}

}  // namespace utxoiq::app
