// The backup advisory lock (see backup_lock.hpp).
#include "ops/backup_lock.hpp"

#include <exception>

#include "ops/backup_types.hpp"

namespace utxoiq::ops {

BackupLock::BackupLock(const std::string& database_url) : connection_(database_url) {
  const auto got = connection_.exec("SELECT pg_try_advisory_lock(hashtext('utxoiq.backup'))");
  if (got.rows.at(0).at(0) != "t") throw BackupBusy();
}

BackupLock::~BackupLock() {
  try {
    if (connection_.is_ok()) {
      connection_.exec("SELECT pg_advisory_unlock(hashtext('utxoiq.backup'))");
    }
  } catch (const std::exception&) {
    // A broken connection: the server drops the lock with its session.
  }
}

}  // namespace utxoiq::ops
