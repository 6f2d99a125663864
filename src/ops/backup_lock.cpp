// The backup advisory lock (see backup_lock.hpp).
#include "ops/backup_lock.hpp"

#include "ops/backup_types.hpp"

namespace utxoiq::ops {

BackupLock::BackupLock(const std::string& database_url) : connection_(database_url) {
  if (!lock_.held()) throw BackupBusy();
}

}  // namespace utxoiq::ops
