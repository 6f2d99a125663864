#pragma once
// Looking at a test database directly, behind the service's back: what was (or was not) written,
// and changes a test makes on purpose. One blocking connection per call.
#include <cstdint>
#include <optional>
#include <string>

namespace utxoiq::testing {

// The first column of the first row of `sql` (nullopt for NULL or no row).
std::optional<std::string> sql_value(const std::string& database_url, const std::string& sql);
// A count (the first column of the first row); throws std::runtime_error when there is none.
std::int64_t sql_count(const std::string& database_url, const std::string& sql);
void sql_exec(const std::string& database_url, const std::string& sql);

}  // namespace utxoiq::testing
