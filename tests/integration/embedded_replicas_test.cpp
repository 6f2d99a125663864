// `serve --embedded-replicas N`: the service starts N streaming replicas of its embedded primary,
// passes their URLs on, stops them with itself, and rebuilds one whose WAL the primary dropped.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <filesystem>
#include <string>
#include <thread>

#include "app/embedded_postgres.hpp"
#include "app/embedded_replica_set.hpp"
#include "app/free_port.hpp"
#include "support/cli_runner.hpp"
#include "support/replica_cluster.hpp"
#include "support/sql_probe.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Root {
  std::string path = make_test_root();
  ~Root() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

std::string replica_url(const std::string& dir) {
  return app::embedded_url(app::read_port_file(dir + "/utxoiq_embedded.port"), "utxoiq", dir);
}

template <typename Check>
bool eventually(Check check, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (check()) return true;
    } catch (const std::exception&) {
      // not yet (a server still starting)
    }
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

TEST(EmbeddedReplicas, ServeStartsReplicasOfItsPrimaryAndStopsThemWithItself) {
  Root root;
  const std::string data = root.path + "/var";
  const int port = app::pick_free_loopback_port();
  RunningCommand service(
      {"serve", "--data-dir", data, "--listen", "127.0.0.1:" + std::to_string(port), "--no-redis",
       "--embedded-replicas", "2"},
      {}, root.path + "/serve.log");
  ASSERT_TRUE(wait_until_ready(static_cast<std::uint16_t>(port), 180s, service))
      << service.output();
  const std::string primary = app::embedded_url(
      app::read_port_file(data + "/postgres/utxoiq_embedded.port"), "utxoiq", data + "/postgres");
  sql_exec(primary, "CREATE TABLE replicated (v int); INSERT INTO replicated VALUES (1)");
  for (const std::string name : {"replica-1", "replica-2"}) {
    const std::string url = replica_url(data + "/" + name);
    EXPECT_TRUE(
        eventually([&] { return sql_count(url, "SELECT count(*) FROM replicated") == 1; }, 30s))
        << name << "\n"
        << service.output();
    EXPECT_EQ(sql_value(url, "SELECT pg_is_in_recovery()"), "t");
    EXPECT_EQ(system_identifier_of(url), system_identifier_of(primary));
    // The migrated schema came along: the service's tables are readable there.
    EXPECT_GE(sql_count(url, "SELECT count(*) FROM schema_migrations"), 1);
  }
  EXPECT_EQ(service.terminate(), 0) << service.output();
  EXPECT_FALSE(fs::exists(data + "/replica-1/postmaster.pid"));
  EXPECT_FALSE(fs::exists(data + "/replica-2/postmaster.pid"));
  EXPECT_FALSE(fs::exists(data + "/postgres/postmaster.pid"));
}

TEST(EmbeddedReplicas, ServeWithoutTheEmbeddedPrimaryRefusesEmbeddedReplicas) {
  const auto result = run_utxoiq({"serve", "--no-redis", "--embedded-replicas", "1"},
                                 {{"DATABASE_URL", TestServers::get().admin_url()}}, 60s);
  EXPECT_EQ(result.exit_code, 2) << result.output;  // a usage error
  EXPECT_NE(result.output.find("--embedded-replicas needs the embedded PostgreSQL"),
            std::string::npos)
      << result.output;
}

// The primary forgets a replica's slot (as it does when the slot passes max_slot_wal_keep_size;
// that path is in replica_cluster_test): the replica cannot stream any more, and the set's
// watcher makes it again with pg_basebackup, on the same port.
TEST(EmbeddedReplicas, ReplicaWhoseSlotIsGoneIsRebuiltByTheWatcher) {
  Root root;
  app::EmbeddedPostgresOptions primary_options;
  primary_options.data_dir = root.path + "/postgres";
  primary_options.durable = false;
  primary_options.start_timeout = 60s;
  app::EmbeddedPostgres primary(primary_options);
  primary.start();
  app::EmbeddedReplicaSetOptions options;
  options.data_dir = root.path;
  options.primary_data_dir = primary.data_dir();
  options.primary_port = primary.port();
  options.count = 1;
  options.durable = false;
  options.check_interval = 200ms;
  app::EmbeddedReplicaSet replicas(options);
  ASSERT_EQ(replicas.urls().size(), 1u);
  const std::string url = replicas.urls()[0];
  sql_exec(primary.url(), "CREATE TABLE t (v int)");

  // The walreceiver reconnects at once: end it and drop the slot until the drop wins.
  ASSERT_TRUE(eventually(
      [&] {
        sql_exec(primary.url(),
                 "SELECT pg_terminate_backend(active_pid), pg_drop_replication_slot(slot_name) "
                 "FROM pg_replication_slots");
        return true;
      },
      30s));
  sql_exec(primary.url(), "INSERT INTO t VALUES (1)");
  EXPECT_TRUE(eventually([&] { return replicas.rebuilds() == 1; }, 60s));
  EXPECT_EQ(replicas.urls()[0], url);
  EXPECT_TRUE(eventually([&] { return sql_count(url, "SELECT count(*) FROM t") == 1; }, 30s));
  sql_exec(primary.url(), "INSERT INTO t VALUES (2)");
  EXPECT_TRUE(eventually([&] { return sql_count(url, "SELECT count(*) FROM t") == 2; }, 30s));
  EXPECT_EQ(sql_value(primary.url(), "SELECT wal_status FROM pg_replication_slots"), "reserved");
}

}  // namespace
}  // namespace utxoiq::testing
