// Construction of QueryError messages and classification of connection-level SQLSTATEs.
#include "pg/errors.hpp"

namespace utxoiq::pg {

namespace {

std::string describe(const QueryError::Fields& fields) {
  std::string text = "query failed";
  if (fields.statement_index) text += " at statement " + std::to_string(*fields.statement_index);
  text += " (SQLSTATE " + (fields.sqlstate.empty() ? std::string("?????") : fields.sqlstate) + ")";
  if (!fields.message.empty()) text += ": " + fields.message;
  return text;
}

}  // namespace

QueryError::QueryError(Fields fields)
    : Error(ErrorKind::kQuery, describe(fields)), fields_(std::move(fields)) {}

bool is_connection_sqlstate(std::string_view state) noexcept {
  return state.starts_with("08") || state == sqlstate::kAdminShutdown ||
         state == sqlstate::kCrashShutdown || state == sqlstate::kCannotConnectNow;
}

}  // namespace utxoiq::pg
