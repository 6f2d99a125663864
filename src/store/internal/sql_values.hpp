#pragma once
// Conversions between the domain's value types and the text PostgreSQL sends and receives, shared
// by the repositories: timestamps as timestamptz with microseconds (our resolution and the
// server's, so a value survives the round trip unchanged), UUIDs in canonical form.
#include <optional>
#include <string>

#include "pg/params.hpp"
#include "pg/result.hpp"
#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::store {

pg::Param sql_time(Timestamp t);
pg::Param sql_time(const std::optional<Timestamp>& t);
pg::Param sql_uuid(const Uuid& id);

// Readers of one cell; they throw pg::DecodeError when the value is not of the asked type (a
// schema that does not match the code), which the server turns into a logged 500.
Timestamp row_time(const pg::Result& result, int row, int column);
std::optional<Timestamp> row_optional_time(const pg::Result& result, int row, int column);
Uuid row_uuid(const pg::Result& result, int row, int column);
std::optional<std::string> row_optional_text(const pg::Result& result, int row, int column);

}  // namespace utxoiq::store
