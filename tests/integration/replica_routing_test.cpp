// Issue 12, end to end: the service on a real primary with two streaming replicas (ReplicaCluster)
// sends uncached reads to the replicas, a key's reads after its own write see that write, a
// replica whose replay stops leaves the rotation and comes back, and a killed replica fails no
// request. One cluster and one service serve every case (starting them is most of the run time);
// each case starts with both replicas replaying and shown up, and leaves them so.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "support/api_helpers.hpp"
#include "support/replica_cluster.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr double kMaxLagS = 2;          // --replica-max-lag
constexpr double kHealthIntervalS = 1;  // --health-interval

// utxoiq_db_reads_total from /metrics: reads sent to any replica, to the primary (any reason),
// and to the replica `host` (when given).
struct ReadCounts {
  double replica = 0;
  double primary = 0;
  double host = 0;
};

ReadCounts read_counts(HttpClient& client, const std::string& host = "") {
  const auto metrics = client.get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  ReadCounts counts;
  std::size_t start = 0;
  const std::string& text = metrics.body;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.rfind("utxoiq_db_reads_total{", 0) != 0) continue;
    const double value = std::stod(line.substr(line.rfind(' ') + 1));
    if (line.find("reason=\"replica\"") != std::string::npos) counts.replica += value;
    if (line.find("host=\"primary\"") != std::string::npos) counts.primary += value;
    if (!host.empty() && line.find("host=\"" + host + "\"") != std::string::npos) {
      counts.host += value;
    }
  }
  return counts;
}

ReadCounts operator-(const ReadCounts& a, const ReadCounts& b) {
  return {a.replica - b.replica, a.primary - b.primary, a.host - b.host};
}

std::string replica_state(HttpClient& client, std::size_t i) {
  const auto ready = client.get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;  // a replica never makes the service unready
  return std::string(ready.json().at("database").at("replicas").at(i).at("state").as_string());
}

// Seconds until replica i is shown in `state` in /readyz; fails the test after `limit`.
double seconds_until_state(HttpClient& client, std::size_t i, const std::string& state,
                           std::chrono::seconds limit = 30s) {
  const auto start = Clock::now();
  while (replica_state(client, i) != state) {
    if (Clock::now() - start > limit) {
      ADD_FAILURE() << "replica " << i << " not " << state << " after " << limit.count() << " s";
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string rate_body(const std::string& user, int rating) {
  return R"({"insight_id":"routing","user_id":")" + user + R"(","rating":)" +
         std::to_string(rating) + "}";
}

class ReplicaRoutingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = std::make_unique<ReplicaCluster>(2);
    const std::string database = cluster_->create_migrated_database();
    service_ = std::make_unique<ServiceUnderTest>(ServiceUnderTestOptions{
        .configure =
            [&](app::ServeConfig& config) {
              config.replicas.urls = cluster_->replica_urls(database);
              config.replicas.max_lag_s = kMaxLagS;
              config.replicas.health_interval_s = kHealthIntervalS;
              config.rate_limit = {.per_key = 1'000'000, .global = 1'000'000};  // load, not limits
            },
        .database_url = cluster_->primary_url(database)});
  }
  static void TearDownTestSuite() {
    service_.reset();
    cluster_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(service_);
    for (std::size_t i = 0; i < 2; ++i) seconds_until_state(admin_, i, "up");
  }
  // A failed case may leave a replica paused or killed: the next one starts with both replaying.
  void TearDown() override {
    for (std::size_t i = 0; i < 2; ++i) {
      try {
        cluster_->resume_replay(i);
      } catch (const std::exception&) {
        cluster_->restart(i);
      }
    }
  }

  HttpClient key_client(const std::string& role) const {
    return service_->client(create_api_key(service_->database_url(), role).key);
  }
  // `n` reads of the feedback list (uncached) by `client`; each must answer 200.
  static void list_reads(HttpClient& client, int n) {
    for (int i = 0; i < n; ++i) {
      const auto r = client.get("/api/v1/feedback?insight_id=routing&limit=5");
      ASSERT_EQ(r.status, 200) << r.body;
    }
  }

  static std::unique_ptr<ReplicaCluster> cluster_;
  static std::unique_ptr<ServiceUnderTest> service_;
  HttpClient admin_ = service_ ? service_->client() : HttpClient(0);  // null: the suite failed
};

std::unique_ptr<ReplicaCluster> ReplicaRoutingTest::cluster_;
std::unique_ptr<ServiceUnderTest> ReplicaRoutingTest::service_;

TEST_F(ReplicaRoutingTest, ReadsByAKeyThatDidNotWriteGoToReplicas) {
  auto reader = key_client("reader");
  const ReadCounts before = read_counts(admin_);
  list_reads(reader, 100);
  const ReadCounts sent = read_counts(admin_) - before;
  ASSERT_GE(sent.replica + sent.primary, 100);
  RecordProperty("reads_to_replicas", std::to_string(sent.replica));
  RecordProperty("reads_to_primary", std::to_string(sent.primary));
  EXPECT_GE(sent.replica / (sent.replica + sent.primary), 0.9)
      << sent.replica << " to replicas, " << sent.primary << " to the primary";
}

TEST_F(ReplicaRoutingTest, AKeyReadsItsOwnWriteWhileReplayIsPausedThenReadsReplicasAgain) {
  auto writer = key_client("writer");
  cluster_->pause_replay(0);
  cluster_->pause_replay(1);
  const ReadCounts before = read_counts(admin_);
  ASSERT_LT(writer.post("/api/v1/feedback/rate", rate_body("ryw", 4)).status, 300);
  const auto page = writer.get("/api/v1/feedback?insight_id=routing&user_id=ryw");
  ASSERT_EQ(page.status, 200) << page.body;
  const auto body = page.json();
  const auto& records = body.at("feedback").as_array();
  ASSERT_EQ(records.size(), 1u) << page.body;  // not the replicas' state without the write
  EXPECT_EQ(records[0].at("rating").as_int64(), 4);
  EXPECT_EQ((read_counts(admin_) - before).replica, 0);

  cluster_->resume_replay(0);
  cluster_->resume_replay(1);
  cluster_->wait_replayed(0);
  cluster_->wait_replayed(1);
  std::this_thread::sleep_for(1500ms);  // one lag poll sees the replay positions past the token
  const ReadCounts after_resume = read_counts(admin_);
  list_reads(writer, 50);
  const ReadCounts sent = read_counts(admin_) - after_resume;
  EXPECT_GE(sent.replica, 45) << sent.primary << " to the primary";
}

TEST_F(ReplicaRoutingTest, AReplicaWhoseReplayStopsLeavesTheRotationAndComesBack) {
  auto writer = key_client("writer");
  cluster_->pause_replay(0);
  ASSERT_LT(writer.post("/api/v1/feedback/rate", rate_body("lag", 3)).status, 300);
  const double out_after = seconds_until_state(admin_, 0, "lagging");
  // The lag passes the limit, then the next poll (every second, a check every health interval)
  // sees it; 1 s more for this test's own polling of /readyz on a busy machine.
  EXPECT_LE(out_after, kMaxLagS + kHealthIntervalS + 1.0);
  EXPECT_EQ(replica_state(admin_, 1), "up");
  // Out of the rotation: a key with no write reads from replica 1 (or the primary), never 0.
  const std::string lagging = "127.0.0.1:" + std::to_string(cluster_->replica_port(0));
  auto reader = key_client("reader");
  const ReadCounts before = read_counts(admin_, lagging);
  list_reads(reader, 20);
  const ReadCounts sent = read_counts(admin_, lagging) - before;
  EXPECT_EQ(sent.host, 0);
  EXPECT_GE(sent.replica, 1);

  cluster_->resume_replay(0);
  EXPECT_LT(seconds_until_state(admin_, 0, "up"), 10);
}

TEST_F(ReplicaRoutingTest, AKilledReplicaFailsNoRequestAndIsShownDown) {
  std::atomic<bool> done = false;
  std::atomic<int> ok = 0;
  std::atomic<int> failed = 0;
  std::vector<std::thread> load;
  for (int t = 0; t < 2; ++t) {
    load.emplace_back([&, client = key_client("reader")]() mutable {
      while (!done) {
        const auto r = client.get("/api/v1/feedback?insight_id=routing&limit=5");
        ++(r.status == 200 ? ok : failed);
        std::this_thread::sleep_for(2ms);  // steady load, not a busy loop on 2 cores
      }
    });
  }
  std::this_thread::sleep_for(500ms);
  cluster_->kill(1);
  const double down_after = seconds_until_state(admin_, 1, "down");
  std::this_thread::sleep_for(1s);  // more reads while it is down
  done = true;
  for (auto& thread : load) thread.join();
  EXPECT_EQ(failed, 0) << ok << " answered 200";
  EXPECT_GT(ok, 20);
  EXPECT_LT(down_after, 5);

  cluster_->restart(1);
  seconds_until_state(admin_, 1, "up", 40s);  // back in the rotation for the cases after this
}

}  // namespace
}  // namespace utxoiq::testing
