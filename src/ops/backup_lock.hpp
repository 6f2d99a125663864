#pragma once
// The lock every backup operation holds for its whole run (see backup_engine.hpp): a session
// advisory lock (pg/session_lock.hpp) on a connection of its own.
#include <string>

#include "pg/blocking_connection.hpp"
#include "pg/session_lock.hpp"

namespace utxoiq::ops {

class BackupLock {
 public:
  // Connects and takes the lock; throws BackupBusy when another session holds it.
  explicit BackupLock(const std::string& database_url);
  pg::BlockingConnection& connection() { return connection_; }

 private:
  pg::BlockingConnection connection_;
  pg::SessionLock lock_{connection_, "hashtext('utxoiq.backup')"};  // after: released first
};

}  // namespace utxoiq::ops
