#pragma once
// A real primary and 1..3 streaming replicas on loopback for the replication tests, never mocks:
// the embedded PostgreSQL of the service (app/embedded_postgres) as primary and the service's own
// embedded replicas (app/embedded_replica: pg_basebackup -R, one replication slot each), under a
// temporary directory removed with the cluster. Same closed-by-default auth as `serve`: TCP needs
// the superuser's password, which only the 0600 passfile named in every URL holds.
//
// Replicas are numbered 0..replica_count()-1. Every operation waits until its effect is visible
// (paused, accepting connections, out of recovery) or throws std::runtime_error with the log tail.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace utxoiq::testing {

class ReplicaCluster {
 public:
  // initdb, the database `utxoiq` made on the primary, then each replica copied and started.
  explicit ReplicaCluster(int replicas = 2);
  ~ReplicaCluster();
  ReplicaCluster(const ReplicaCluster&) = delete;
  ReplicaCluster& operator=(const ReplicaCluster&) = delete;

  std::size_t replica_count() const;

  // postgresql://postgres@127.0.0.1:PORT/DATABASE?passfile=... (superuser; DATABASE "utxoiq").
  std::string primary_url(std::string_view database = "utxoiq") const;
  std::string replica_url(std::size_t i, std::string_view database = "utxoiq") const;
  std::vector<std::string> replica_urls(std::string_view database = "utxoiq") const;
  int primary_port() const;
  int replica_port(std::size_t i) const;

  // A new database with every migration applied, made on the primary (and so on every replica
  // once replayed: this waits for that). Returns its name, for primary_url / replica_url.
  std::string create_migrated_database();

  // pg_wal_replay_pause() / pg_wal_replay_resume() on replica i; WAL is still received, only its
  // replay stops, so the replica's data stays as it was while the primary moves on.
  void pause_replay(std::size_t i);
  void resume_replay(std::size_t i);
  void kill(std::size_t i);     // SIGKILL of replica i's postmaster
  void restart(std::size_t i);  // fast shutdown if running, then start (same port and data)
  void stop_primary();          // fast shutdown
  void kill_primary();          // SIGKILL
  void start_primary();         // same port and data: a stale primary after a promotion
  // `pg_ctl promote` of replica i; returns when it accepts writes. From then on it is the
  // "current primary" of wait_replayed and primary_lsn (primary_url still names the old one).
  // Other replicas keep following the old primary until follow() re-points them.
  void promote(std::size_t i);
  // Re-points replica i at promoted replica j (its slot created there, primary_conninfo changed
  // and reloaded), as Patroni does after a failover; it follows j's new timeline.
  void follow(std::size_t i, std::size_t j);
  // Waits until replica i has replayed everything the current primary had written when called
  // (its replay LSN >= the primary's current WAL LSN). Throws after `timeout`.
  void wait_replayed(std::size_t i, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Replay LSN of replica i and current WAL LSN of the current primary, as PostgreSQL prints them.
  std::string replay_lsn(std::size_t i) const;
  std::string primary_lsn() const;

  // pg_control_system().system_identifier of the primary (its replicas report the same).
  std::uint64_t system_identifier() const;

  // The data and the server log of replica i, for tests of rebuilds and for failure messages.
  std::string replica_data_dir(std::size_t i) const;
  std::string replica_log_tail(std::size_t i) const;
  std::string primary_data_dir() const;
  // Our own socket conninfo of the primary (trust, superuser): administration by tests.
  std::string primary_admin_conninfo() const;
  std::string replica_admin_conninfo(std::size_t i) const;
  // The replication slot of replica i on the primary.
  std::string slot_name(std::size_t i) const;
  // The service's rebuild of a replica whose WAL is gone (app::EmbeddedReplica).
  bool wal_retained(std::size_t i) const;
  void drop_slot(std::size_t i);
  void rebuild(std::size_t i);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// pg_control_system().system_identifier of the server at `url` (a replica reports its primary's).
std::uint64_t system_identifier_of(const std::string& url);

}  // namespace utxoiq::testing
