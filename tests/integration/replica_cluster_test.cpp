// The replication harness (tests/support/replica_cluster) and the embedded replicas under it do
// what the routing and failover tests rely on: replicas stream the primary's writes, each
// operation (pause, kill, restart, promote, rebuild) has the effect it names, and the replicas are
// as closed to other local users as the primary.
#include "support/replica_cluster.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "app/embedded_replica.hpp"
#include "pg/blocking_connection.hpp"
#include "support/sql_probe.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

void insert(ReplicaCluster& cluster, int value) {
  sql_exec(cluster.primary_url(), "INSERT INTO t VALUES (" + std::to_string(value) + ")");
}

std::int64_t rows_on_replica(const ReplicaCluster& cluster, std::size_t i) {
  return sql_count(cluster.replica_url(i), "SELECT count(*) FROM t");
}

class ReplicaClusterTest : public ::testing::Test {
 protected:
  void make(int replicas) {
    cluster_.emplace(replicas);
    sql_exec(cluster_->primary_url(), "CREATE TABLE t (v int)");
    // Every replica has the table before a test pauses or kills one.
    for (int i = 0; i < replicas; ++i) cluster_->wait_replayed(static_cast<std::size_t>(i));
  }
  ReplicaCluster& cluster() { return *cluster_; }
  std::optional<ReplicaCluster> cluster_;
};

TEST_F(ReplicaClusterTest, ReplicasStreamThePrimarysWritesAndShareItsIdentifier) {
  make(3);
  ASSERT_EQ(cluster().replica_count(), 3u);
  insert(cluster(), 1);
  for (std::size_t i = 0; i < 3; ++i) {
    cluster().wait_replayed(i);
    EXPECT_EQ(rows_on_replica(cluster(), i), 1) << "replica " << i;
    EXPECT_EQ(sql_value(cluster().replica_url(i), "SELECT pg_is_in_recovery()"), "t");
    EXPECT_EQ(system_identifier_of(cluster().replica_url(i)), cluster().system_identifier());
    EXPECT_NE(cluster().replica_port(i), cluster().primary_port());
  }
  EXPECT_EQ(sql_value(cluster().primary_url(), "SELECT pg_is_in_recovery()"), "f");
  // One slot per replica, each in use by its walsender.
  EXPECT_EQ(sql_count(cluster().primary_url(),
                      "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_type = "
                      "'physical' AND slot_name LIKE 'utxoiq_replica_%'"),
            3);
  EXPECT_THROW(sql_exec(cluster().replica_url(0), "INSERT INTO t VALUES (2)"),
               pg::BlockingConnectionError);
}

TEST_F(ReplicaClusterTest, ReplicasRefuseTcpWithoutThePassword) {
  make(1);
  const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(cluster().replica_port(0)) +
                               " user=postgres dbname=utxoiq passfile=/dev/null sslmode=disable";
  EXPECT_THROW(pg::BlockingConnection{conninfo}, pg::BlockingConnectionError);
  EXPECT_NO_THROW(pg::BlockingConnection{cluster().replica_url(0)});
}

TEST_F(ReplicaClusterTest, PausedReplayFreezesOneReplicaUntilResumed) {
  make(2);
  cluster().pause_replay(0);
  insert(cluster(), 1);
  cluster().wait_replayed(1);
  EXPECT_EQ(rows_on_replica(cluster(), 1), 1);
  EXPECT_THROW(cluster().wait_replayed(0, 1s), std::runtime_error);
  EXPECT_EQ(rows_on_replica(cluster(), 0), 0);
  EXPECT_EQ(sql_value(cluster().replica_url(0),
                      "SELECT pg_last_wal_replay_lsn() < '" + cluster().primary_lsn() + "'"),
            "t");
  cluster().resume_replay(0);
  cluster().wait_replayed(0);
  EXPECT_EQ(rows_on_replica(cluster(), 0), 1);
}

TEST_F(ReplicaClusterTest, KilledReplicaIsGoneAndCatchesUpAfterRestart) {
  make(1);
  const std::string url = cluster().replica_url(0);
  cluster().kill(0);
  EXPECT_THROW(pg::BlockingConnection{url}, pg::BlockingConnectionError);
  insert(cluster(), 1);  // written while the replica is down: its slot keeps the WAL
  EXPECT_TRUE(cluster().wal_retained(0));
  cluster().restart(0);
  EXPECT_EQ(cluster().replica_url(0), url);  // same port
  cluster().wait_replayed(0);
  EXPECT_EQ(rows_on_replica(cluster(), 0), 1);
  cluster().restart(0);  // a running replica: fast shutdown, then start
  EXPECT_EQ(rows_on_replica(cluster(), 0), 1);
}

TEST_F(ReplicaClusterTest, PromotedReplicaTakesWritesAndTheOldPrimaryComesBackStale) {
  make(2);
  insert(cluster(), 1);
  cluster().wait_replayed(1);
  cluster().stop_primary();
  EXPECT_THROW(pg::BlockingConnection{cluster().primary_url()}, pg::BlockingConnectionError);
  cluster().promote(1);
  EXPECT_EQ(sql_value(cluster().replica_url(1), "SELECT pg_is_in_recovery()"), "f");
  sql_exec(cluster().replica_url(1), "INSERT INTO t VALUES (2)");
  EXPECT_EQ(rows_on_replica(cluster(), 1), 2);
  EXPECT_EQ(sql_value(cluster().replica_url(0), "SELECT pg_is_in_recovery()"), "t");
  cluster().follow(0, 1);  // replica 0 now streams from the new primary
  cluster().wait_replayed(0);
  EXPECT_EQ(rows_on_replica(cluster(), 0), 2);

  cluster().start_primary();  // a stale primary: not in recovery, missing the new write
  EXPECT_EQ(sql_value(cluster().primary_url(), "SELECT pg_is_in_recovery()"), "f");
  EXPECT_EQ(sql_count(cluster().primary_url(), "SELECT count(*) FROM t"), 1);
  EXPECT_EQ(system_identifier_of(cluster().primary_url()),
            system_identifier_of(cluster().replica_url(1)));
}

// The way a replica loses its WAL in production: down too long, its slot holds more than
// max_slot_wal_keep_size and the primary invalidates it at a checkpoint.
TEST_F(ReplicaClusterTest, ReplicaWhoseWalIsGoneIsRebuilt) {
  make(1);
  app::configure_primary_for_replicas(cluster().primary_data_dir(), cluster().primary_port(),
                                      "1MB");
  cluster().kill(0);
  for (int i = 0; i < 4; ++i) {  // new segments, then a checkpoint that recycles the old ones
    insert(cluster(), i);
    sql_exec(cluster().primary_url(), "SELECT pg_switch_wal()");
    sql_exec(cluster().primary_url(), "CHECKPOINT");
  }
  EXPECT_EQ(sql_value(cluster().primary_url(), "SELECT wal_status FROM pg_replication_slots"),
            "lost");
  EXPECT_FALSE(cluster().wal_retained(0));
  // Started as it is, the replica cannot catch up: the primary no longer has its WAL.
  cluster().restart(0);
  EXPECT_THROW(cluster().wait_replayed(0, 3s), std::runtime_error);
  EXPECT_EQ(rows_on_replica(cluster(), 0), 0);

  cluster().rebuild(0);
  EXPECT_TRUE(cluster().wal_retained(0));
  EXPECT_EQ(rows_on_replica(cluster(), 0), 4);
  insert(cluster(), 5);
  cluster().wait_replayed(0);
  EXPECT_EQ(rows_on_replica(cluster(), 0), 5);
}

}  // namespace
}  // namespace utxoiq::testing
