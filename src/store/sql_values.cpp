// Value conversions of the repositories (see sql_values.hpp).
#include "store/internal/sql_values.hpp"

#include "pg/errors.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::store {

pg::Param sql_time(Timestamp t) {
  return format_pg_timestamptz(t);
}

pg::Param sql_time(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return sql_time(*t);
}

pg::Param sql_uuid(const Uuid& id) {
  return id.to_string();
}

Timestamp row_time(const pg::Result& result, int row, int column) {
  const auto parsed = parse_pg_timestamptz(result.text(row, column));
  if (!parsed) {
    throw pg::DecodeError("column " + std::string(result.column_name(column)) +
                          " is not a timestamp in the supported range");
  }
  return *parsed;
}

std::optional<Timestamp> row_optional_time(const pg::Result& result, int row, int column) {
  if (result.is_null(row, column)) return std::nullopt;
  return row_time(result, row, column);
}

Uuid row_uuid(const pg::Result& result, int row, int column) {
  const auto parsed = Uuid::parse(result.text(row, column));
  if (!parsed) {
    throw pg::DecodeError("column " + std::string(result.column_name(column)) + " is not a uuid");
  }
  return *parsed;
}

std::optional<std::string> row_optional_text(const pg::Result& result, int row, int column) {
  const auto text = result.optional_text(row, column);
  if (!text) return std::nullopt;
  return std::string(*text);
}

}  // namespace utxoiq::store
