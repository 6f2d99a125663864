#pragma once
// The lock every backup operation holds for its whole run (see backup_engine.hpp): a session
// advisory lock on a connection of its own, so it is released by the server if the process dies.
// The destructor unlocks before the connection closes: closing alone lets the server release the
// lock only as its backend exits, after the client has moved on, so an operation started right
// after this one ended could still find it held and be refused as busy.
#include <string>

#include "pg/blocking_connection.hpp"

namespace utxoiq::ops {

class BackupLock {
 public:
  // Connects and takes the lock; throws BackupBusy when another session holds it.
  explicit BackupLock(const std::string& database_url);
  ~BackupLock();
  BackupLock(const BackupLock&) = delete;
  BackupLock& operator=(const BackupLock&) = delete;
  pg::BlockingConnection& connection() { return connection_; }

 private:
  pg::BlockingConnection connection_;
};

}  // namespace utxoiq::ops
