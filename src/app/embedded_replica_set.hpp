#pragma once
// The N streaming replicas `serve --embedded-replicas N` runs beside its embedded primary, so one
// command shows the whole topology on one machine. Replica i (1..N) lives in
// <data dir>/replica-<i> with its slot utxoiq_replica_<i>; its port is kept across restarts.
//
// A replica whose WAL the primary no longer has (its slot invalidated by max_slot_wal_keep_size
// or gone) can never catch up by streaming, so it is rebuilt with pg_basebackup: at start, and by
// a watcher thread that checks every `check_interval` — blocking work, kept off the event loop.
// Everything stops with the set (before the primary, which the caller stops after).
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace utxoiq::app {

class EmbeddedReplica;

struct EmbeddedReplicaSetOptions {
  std::string data_dir;  // the service's data dir: replicas go to <data_dir>/replica-<i>
  std::string primary_data_dir;
  int primary_port = 0;
  int count = 0;                    // 1..16
  std::string database = "utxoiq";  // the database of urls()
  bool durable = true;              // false for tests only
  std::chrono::milliseconds check_interval{std::chrono::seconds(30)};
};

class EmbeddedReplicaSet {
 public:
  // Starts every replica (copying or rebuilding it first when needed) and the watcher. Throws
  // std::runtime_error naming the replica that did not come up.
  explicit EmbeddedReplicaSet(EmbeddedReplicaSetOptions options);
  ~EmbeddedReplicaSet();  // stops the watcher, then the replicas
  EmbeddedReplicaSet(const EmbeddedReplicaSet&) = delete;
  EmbeddedReplicaSet& operator=(const EmbeddedReplicaSet&) = delete;

  // postgresql://postgres@127.0.0.1:PORT/<database>?passfile=... of each replica, in order: what
  // goes into ServeConfig::replicas.urls. Stable for the set's life (a rebuild keeps the port).
  const std::vector<std::string>& urls() const { return urls_; }
  // Rebuilds the replicas whose WAL is gone; returns how many. Called by the watcher.
  int repair();
  int rebuilds() const;  // rebuilds since start, for tests and logs

 private:
  void watch();

  EmbeddedReplicaSetOptions options_;
  std::vector<std::unique_ptr<EmbeddedReplica>> replicas_;
  std::vector<std::string> urls_;
  mutable std::mutex mutex_;  // guards replicas_' state, rebuilds_ and stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  int rebuilds_ = 0;
  std::thread watcher_;
};

}  // namespace utxoiq::app
