// See session_lock.hpp.
#include "pg/session_lock.hpp"

#include <exception>
#include <utility>

namespace utxoiq::pg {

SessionLock::SessionLock(BlockingConnection& connection, std::string key_sql)
    : connection_(connection), key_sql_(std::move(key_sql)) {
  const auto got = connection_.exec("SELECT pg_try_advisory_lock(" + key_sql_ + ")");
  held_ = got.rows.at(0).at(0) == "t";
}

SessionLock::~SessionLock() {
  if (!held_) return;
  try {
    if (!connection_.is_ok()) return;
    if (connection_.in_transaction()) connection_.exec("ROLLBACK");
    connection_.exec("SELECT pg_advisory_unlock(" + key_sql_ + ")");
  } catch (const std::exception&) {
    // The connection broke meanwhile: the server drops the lock with the session.
  }
}

}  // namespace utxoiq::pg
