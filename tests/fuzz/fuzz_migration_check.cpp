// Fuzz target: the check that a migration file holds no transaction statement of its own (it
// parses the SQL with libpg_query). Any text, valid SQL or not, gets a yes or a no.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ops/migration_sql_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  (void)utxoiq::ops::contains_transaction_statement(sql);
  return 0;
}
