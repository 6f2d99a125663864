#pragma once
// A session advisory lock held for a scope: taken (if free) on construction, given back on
// destruction, on the caller's own BlockingConnection, so the server also drops it if the process
// dies. Given back explicitly rather than left to the connection's close: closing lets the server
// release it only as the session's backend exits, after the caller has moved on, so an operation
// started right after this one ended could still find it held and be refused as busy.
#include <string>

#include "pg/blocking_connection.hpp"

namespace utxoiq::pg {

class SessionLock {
 public:
  // Tries pg_try_advisory_lock(<key_sql>) on `connection`, which must outlive this object;
  // `key_sql` is the SQL expression of the key (a literal of ours, never client text).
  SessionLock(BlockingConnection& connection, std::string key_sql);
  // If held: ends an open transaction (an aborted one refuses every statement) and unlocks. A
  // broken connection is left alone: the server drops the lock with its session.
  ~SessionLock();
  SessionLock(const SessionLock&) = delete;
  SessionLock& operator=(const SessionLock&) = delete;

  bool held() const { return held_; }

 private:
  BlockingConnection& connection_;
  std::string key_sql_;
  bool held_ = false;
};

}  // namespace utxoiq::pg
