#pragma once
// A streaming replica of an embedded PostgreSQL primary, run by `serve --embedded-replicas N` and
// by the test harness (tests/support/replica_cluster), so both run the same code.
//
// Made with `pg_basebackup -R` through the primary's Unix socket (trust there, in the 0700 data
// dir: no password in any file beyond the one the primary already keeps), each replica with its
// own physical replication slot. A slot, not wal_keep_size, because a slot keeps exactly the WAL
// a stopped or slow replica still needs and no more, where wal_keep_size is a guess that either
// wastes disk or loses the replica. A dead replica's slot must not fill the primary's disk: the
// primary gets max_slot_wal_keep_size, beyond which the slot is invalidated ("lost"). A replica
// whose WAL is gone (slot lost or missing) can never catch up by streaming: rebuild() makes it
// again with pg_basebackup.
//
// The replica's data dir is a sibling of the primary's, never inside it (pg_basebackup would copy
// it into the next replica). Clients reach it like the primary: TCP on 127.0.0.1 with the
// superuser's password in a 0600 passfile (copied from the primary by pg_basebackup).
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace utxoiq::app {

class EmbeddedPostgres;

struct EmbeddedReplicaOptions {
  std::string data_dir;          // this replica's cluster directory; made by pg_basebackup
  std::string primary_data_dir;  // the primary's data dir (its Unix socket is there)
  int primary_port = 0;
  std::string slot_name;  // physical replication slot on the primary, also application_name
  int port = 0;           // as EmbeddedPostgresOptions::port
  std::string bin_dir = "/usr/lib/postgresql/15/bin";
  std::string database = "utxoiq";  // the database of url(); must exist on the primary
  bool durable = true;              // false for tests, as EmbeddedPostgresOptions::durable
  std::vector<std::pair<std::string, std::string>> settings;  // extra `-c name=value`
  std::chrono::seconds start_timeout{60};
  std::string system_user = "postgres";
};

// The primary settings a replica's slot needs: how much WAL a slot may hold before the primary
// drops it (the replica is then rebuilt). Applied with ALTER SYSTEM + reload, so a running
// primary needs no restart. Throws pg::BlockingConnectionError.
void configure_primary_for_replicas(const std::string& primary_data_dir, int primary_port,
                                    std::string_view max_slot_wal_keep_size = "1GB");

class EmbeddedReplica {
 public:
  explicit EmbeddedReplica(EmbeddedReplicaOptions options);
  ~EmbeddedReplica();  // stops the server
  EmbeddedReplica(const EmbeddedReplica&) = delete;
  EmbeddedReplica& operator=(const EmbeddedReplica&) = delete;

  // pg_basebackup when the data dir holds no cluster yet, then starts the server and waits until
  // it accepts read-only connections. Throws std::runtime_error with the log tail.
  void start();
  void stop();  // fast shutdown
  void kill();  // SIGKILL of the postmaster
  bool running();

  // False when the primary no longer keeps the WAL this replica needs: its slot is missing or
  // invalidated (wal_status 'lost'). Asks the primary through its socket; throws when unreachable.
  bool wal_retained() const;
  // Stops the server, removes the data dir and the slot, then start()s afresh (pg_basebackup).
  void rebuild();
  // Drops this replica's slot on the primary (ending a walsender that still holds it). The WAL
  // the replica needs may then be recycled: what max_slot_wal_keep_size does to a lagging one.
  void drop_slot() const;

  int port() const;
  std::string url() const;  // postgresql://postgres@127.0.0.1:PORT/<database>?passfile=...
  std::string url(std::string_view database) const;
  const std::string& data_dir() const { return options_.data_dir; }
  const std::string& slot_name() const { return options_.slot_name; }
  // Our own administration (pause replay, promote checks): the replica's Unix socket.
  std::string admin_conninfo() const;
  std::string log_tail() const;

 private:
  void base_backup();

  EmbeddedReplicaOptions options_;
  std::unique_ptr<EmbeddedPostgres> server_;
};

}  // namespace utxoiq::app
