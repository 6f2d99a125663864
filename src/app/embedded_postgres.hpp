#pragma once
// A private PostgreSQL 15 cluster run by the service itself (`serve` with no DATABASE_URL) and by
// the integration-test harness: initdb on first use, postmaster on 127.0.0.1:PORT and on a Unix
// socket in the data directory, the application database created, fast shutdown on stop. When we
// are root the cluster belongs to, and the server runs as, the `postgres` system user, because
// PostgreSQL refuses to run as root.
//
// Closed to other local users: TCP needs the superuser's password (scram-sha-256), generated once
// into a 0600 file of the data dir and given to libpq as `passfile` in url(), so no URL or log
// line ever holds it; the Unix socket sits in the 0700 data dir, where only we (and root) reach.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/child_process.hpp"

namespace utxoiq::app {

struct EmbeddedPostgresOptions {
  std::string data_dir;  // the cluster directory (PGDATA); initdb creates it when it has no cluster
  // 0: the port of this object's previous start, else that of the previous run (a file in
  // the data dir) when still free, else a free one. Clients keep working across restarts.
  int port = 0;
  std::string bin_dir = "/usr/lib/postgresql/15/bin";
  std::string database = "utxoiq";  // created at start when missing; empty: create none
  // false is for tests only: fsync and full_page_writes off, initdb --no-sync. A crash of the
  // machine can then corrupt the cluster; a crash of postgres alone loses nothing committed,
  // because synchronous_commit stays on (cheap without fsync), so crash tests see real behaviour.
  bool durable = true;
  std::vector<std::pair<std::string, std::string>>
      settings;  // extra `-c name=value`, win over ours
  std::chrono::seconds start_timeout{30};
  std::chrono::seconds stop_timeout{30};
  std::string system_user = "postgres";  // who runs initdb and postgres when we are root
  // A streaming replica (embedded_replica.hpp) whose data dir pg_basebackup made: start() neither
  // sets the password nor creates the database, both read-only there and copied from the primary.
  bool standby = false;
};

class EmbeddedPostgres {
 public:
  explicit EmbeddedPostgres(EmbeddedPostgresOptions options);
  ~EmbeddedPostgres();  // stop()s a running server
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  // initdb when needed, removes a stale postmaster.pid, starts the postmaster, waits until it
  // accepts connections, creates the database. Throws std::runtime_error with the server log tail
  // when it does not come up within start_timeout. A no-op when already running.
  void start();
  // Fast shutdown (SIGINT: roll back sessions, checkpoint), escalating to immediate shutdown and
  // SIGKILL if it does not finish within stop_timeout. A no-op when not running.
  void stop();
  // SIGKILL of the postmaster: a crash, for recovery tests. The next start() runs crash recovery.
  void kill();
  bool running();

  int port() const { return port_; }  // 0 before the first start
  // postgresql://postgres@127.0.0.1:PORT/<options.database>?passfile=<data dir>/...pgpass
  std::string url() const;
  std::string url(std::string_view database) const;
  const std::string& data_dir() const { return options_.data_dir; }  // absolute; also socket dir
  std::string log_path() const;  // the server's stderr, appended across runs
  std::string log_tail() const;  // the last few KiB of it

 private:
  void ensure_cluster();
  void prepare_data_dir();
  void write_access_files();
  void spawn_and_wait();
  void set_superuser_password();
  void create_database();

  EmbeddedPostgresOptions options_;
  int port_ = 0;
  std::string password_;
  ChildProcess postmaster_;
};

// The port of a postmaster that already serves this data directory and accepts connections (a
// `serve` running while `migrate status` is asked), or 0 when there is none.
int running_postmaster_port(const std::string& data_dir);
// postgresql://postgres@127.0.0.1:PORT/DATABASE?passfile=... for the cluster in `data_dir`.
std::string embedded_url(int port, std::string_view database, const std::string& data_dir);
// The pgpass file of the cluster in `data_dir` (mode 0600), for psql: PGPASSFILE=...
std::string embedded_passfile(const std::string& data_dir);
// A keyword conninfo through the Unix socket in `data_dir`, where trust applies: for our own
// administration (and replication) of an embedded cluster, never for clients.
std::string embedded_socket_conninfo(const std::string& data_dir, int port,
                                     const std::string& database);
// Who runs the embedded servers' programs: `system_user` when we are root, else "" (ourselves).
std::string embedded_child_user(const std::string& system_user);
// Creates `dir` (mode 0700) for a server's files, owned by `system_user` when we are root, after
// checking that user can reach it. Throws std::runtime_error.
void make_server_dir(const std::string& dir, const std::string& system_user);

}  // namespace utxoiq::app
