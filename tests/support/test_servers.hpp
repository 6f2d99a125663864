#pragma once
// Real PostgreSQL 15 and redis-server for integration tests, never mocks: started once per test
// binary on free loopback ports, with their data under a temporary directory that is removed when
// the binary exits. A server that cannot be started fails the test; nothing is skipped.
#include <memory>
#include <string>

namespace utxoiq::testing {

// A new /tmp/utxoiq-test-XXXXXX (mode 0755, so postgres can pass through when we are root) that
// records our pid; directories of test binaries that died without cleaning up are removed first.
std::string make_test_root();

class TestServers {
 public:
  // Starts both servers on the first call (about a second for initdb); later calls reuse them.
  // Throws std::runtime_error with the server's own log tail when a server cannot be started.
  static TestServers& get();

  // postgresql://postgres@127.0.0.1:PORT/postgres?passfile=... — superuser, for tests that need it.
  std::string admin_url() const;
  // Creates a new, empty database with a unique name and returns its URL, so tests do not share
  // state. Migrations are not applied: call ops::migrate_up (or the service does it).
  std::string create_database();
  // A new database with every migration of the binary applied (copied from a template database
  // migrated once per test binary, so it costs a CREATE DATABASE, not a migration run).
  std::string create_migrated_database();
  // redis://:PASSWORD@127.0.0.1:PORT
  std::string redis_url() const;
  std::string redis_password() const;
  // The superuser's pgpass file (libpq `passfile=`, psql PGPASSFILE) and the cluster directory.
  std::string postgres_passfile() const;
  std::string postgres_data_dir() const;
  int postgres_port() const;
  int redis_port() const;

  // Fault injection for recovery tests; start_* reuses the same data directory and port.
  void stop_postgres();  // fast shutdown
  void kill_postgres();  // SIGKILL of the postmaster: a crash, recovered at the next start
  void start_postgres();
  void stop_redis();
  void start_redis();

  ~TestServers();

 private:
  TestServers();
  std::string create_database_from(const std::string& template_name);
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace utxoiq::testing
