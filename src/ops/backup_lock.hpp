#pragma once
// The lock every backup operation holds for its whole run (see backup_engine.hpp): a session
// advisory lock on a connection of its own, so it is released by the server if the process dies.
#include <string>

#include "pg/blocking_connection.hpp"

namespace utxoiq::ops {

class BackupLock {
 public:
  // Connects and takes the lock; throws BackupBusy when another session holds it.
  explicit BackupLock(const std::string& database_url);
  pg::BlockingConnection& connection() { return connection_; }

 private:
  pg::BlockingConnection connection_;
};

}  // namespace utxoiq::ops
