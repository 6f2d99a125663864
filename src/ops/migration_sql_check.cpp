// Transaction-statement check of migration SQL through libpg_query (see migration_sql_check.hpp).
#include "ops/migration_sql_check.hpp"

#include <pg_query.h>

#include <string>

namespace utxoiq::ops {

bool contains_transaction_statement(std::string_view sql) {
  const std::string text(sql);
  PgQueryParseResult result = pg_query_parse(text.c_str());
  bool found = false;
  if (result.error == nullptr && result.parse_tree != nullptr) {
    // The tree is JSON; a node is written {"TransactionStmt":{...}}. Inside a JSON string the
    // quotes would be escaped, so string literals cannot produce this text.
    found = std::string_view(result.parse_tree).find("{\"TransactionStmt\":") != std::string::npos;
  }
  pg_query_free_parse_result(result);
  return found;
}

}  // namespace utxoiq::ops
