#include "support/sql_probe.hpp"

#include <stdexcept>

#include "pg/blocking_connection.hpp"

namespace utxoiq::testing {

std::optional<std::string> sql_value(const std::string& database_url, const std::string& sql) {
  pg::BlockingConnection connection(database_url);
  const auto result = connection.exec(sql);
  if (result.rows.empty() || result.rows[0].empty()) return std::nullopt;
  return result.rows[0][0];
}

std::int64_t sql_count(const std::string& database_url, const std::string& sql) {
  const auto value = sql_value(database_url, sql);
  if (!value) throw std::runtime_error("no count from: " + sql);
  return std::stoll(*value);
}

void sql_exec(const std::string& database_url, const std::string& sql) {
  pg::BlockingConnection connection(database_url);
  connection.exec(sql);
}

}  // namespace utxoiq::testing
