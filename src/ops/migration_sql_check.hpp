#pragma once
// Checks of a migration's SQL text made before it ever reaches a database.
#include <string_view>

namespace utxoiq::ops {

// True when the text holds a transaction statement (BEGIN, START TRANSACTION, COMMIT, END,
// ROLLBACK, SAVEPOINT, PREPARE TRANSACTION, ...). The migrator runs each migration in a
// transaction of its own together with its schema_migrations row; a COMMIT inside the file
// would end that transaction early and break the all-or-nothing guarantee. Uses PostgreSQL's own
// parser (libpg_query), so statements inside strings, comments and function bodies do not count.
// Text the parser rejects returns false: the server reports the syntax error when it runs.
bool contains_transaction_statement(std::string_view sql);

}  // namespace utxoiq::ops
