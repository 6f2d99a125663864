// Issue 12, read-your-writes across instances, end to end: TWO service instances on one real
// primary with two streaming replicas (ReplicaCluster) and one real Redis, sharing the keys'
// read-your-writes tokens over Redis pub/sub (app/ryw_token_feed.hpp).
//  - Property (RapidCheck, 100 cases): random interleavings of writes and reads by several keys
//    over the two instances, with replay paused and resumed on replica 0
//    (pg_wal_replay_pause()), and pauses long enough for lag polls to see the replicas move: no key
//    ever reads a state older than its own last acknowledged write, whichever instance wrote it.
//  - Redis stopped: both instances fall back to blind mode (utxoiq_db_ryw_tokens_complete 0),
//    replicas still serve reads, a key still reads its own writes made on the same instance at
//    once, and its writes made on the other instance once they are 1 s old (api.md: another
//    instance may see a write 1 s late; pg/host_router.hpp).
// A write is a new rating (a new user id) of the key's own insight; a read lists the key's insight
// filtered to the user of its last acknowledged write (uncached, so it is a database read that
// may go to a replica) and must find it. One cluster, one Redis and both services serve every
// case (starting them is most of the run time); each case leaves replay running.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/api_helpers.hpp"
#include "support/replica_cluster.hpp"
#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr double kMaxLagS = 2;          // --replica-max-lag
constexpr double kHealthIntervalS = 1;  // --health-interval
constexpr int kKeys = 2;
constexpr int kInstances = 2;
// api.md's allowance for another instance, plus room for the lag poll's own duration.
constexpr auto kOtherInstanceAllowance = 1200ms;

// The sum of the samples of `name` in a /metrics text whose labels contain `label` (when given).
// Both services of this binary share the process-wide registry, so each /metrics shows the
// collectors of both instances: a gauge of 1 per instance sums to 2.
double metric(HttpClient& client, const std::string& name, const std::string& label = "") {
  const auto metrics = client.get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  double sum = 0;
  std::istringstream lines(metrics.body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(name, 0) != 0) continue;
    const char after = line.size() > name.size() ? line[name.size()] : '\0';
    if (after != ' ' && after != '{') continue;
    if (!label.empty() && line.find(label) == std::string::npos) continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

// Waits until `value()` is `expected`; fails the test after `limit`.
template <typename Value>
void wait_for(const std::string& what, Value value, double expected,
              std::chrono::seconds limit = 60s) {
  const auto start = Clock::now();
  while (value() != expected) {
    if (Clock::now() - start > limit) {
      ADD_FAILURE() << what << " not " << expected << " after " << limit.count() << " s";
      return;
    }
    std::this_thread::sleep_for(100ms);
  }
}

enum class OpKind { write, read, pause, resume, wait };

struct Op {
  OpKind kind = OpKind::read;
  int key = 0;
  int instance = 0;
  std::chrono::milliseconds wait{0};
};

std::string describe(const Op& op) {
  switch (op.kind) {
    case OpKind::write:
      return "write(key " + std::to_string(op.key) + ", instance " + std::to_string(op.instance) +
             ")";
    case OpKind::read:
      return "read(key " + std::to_string(op.key) + ", instance " + std::to_string(op.instance) +
             ")";
    case OpKind::pause:
      return "pause replay on replica 0";
    case OpKind::resume:
      return "resume replay on replica 0";
    case OpKind::wait:
      return "wait " + std::to_string(op.wait.count()) + " ms";
  }
  return "";
}

// How RapidCheck prints an operation of a counterexample.
void showValue(const Op& op, std::ostream& os) {
  os << describe(op);
}

// Mostly writes and reads; waits let the lag polls (every second) see replicas replay tokens, so
// that reads by keys that wrote go to replicas too, and a replica paused meanwhile stays behind.
rc::Gen<Op> gen_op() {
  const auto keyed = [](OpKind kind) {
    return rc::gen::map(rc::gen::pair(rc::gen::inRange(0, kKeys), rc::gen::inRange(0, kInstances)),
                        [kind](const std::pair<int, int>& p) {
                          return Op{kind, p.first, p.second, {}};
                        });
  };
  return rc::gen::weightedOneOf<Op>(
      {{4, keyed(OpKind::write)},
       {7, keyed(OpKind::read)},
       {3, rc::gen::just(Op{OpKind::pause, 0, 0, {}})},
       {1, rc::gen::just(Op{OpKind::resume, 0, 0, {}})},
       {2, rc::gen::map(rc::gen::element(50, 300, 1100), [](int ms) {
          return Op{OpKind::wait, 0, 0, std::chrono::milliseconds{ms}};
        })}});
}

// The same mix for the Redis-down case, drawn without RapidCheck (a plain seeded loop).
std::vector<Op> random_ops(std::mt19937& rng) {
  std::uniform_int_distribution<int> length(4, 12), kind(0, 16), key(0, kKeys - 1),
      instance(0, kInstances - 1), wait(0, 2);
  std::vector<Op> ops(static_cast<std::size_t>(length(rng)));
  for (auto& op : ops) {
    const int k = kind(rng);
    op.key = key(rng);
    op.instance = instance(rng);
    op.kind = k < 4    ? OpKind::write
              : k < 11 ? OpKind::read
              : k < 14 ? OpKind::pause
              : k < 15 ? OpKind::resume
                       : OpKind::wait;
    op.wait = std::chrono::milliseconds{std::array{50, 300, 1100}[wait(rng)]};
  }
  return ops;
}

// A key's last acknowledged write: the user id it rated as, where and when it was acknowledged.
struct LastWrite {
  std::string user;
  int instance = 0;
  Clock::time_point acknowledged;
};

class ReplicaReadYourWritesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = std::make_unique<ReplicaCluster>(2);
    const std::string database = cluster_->create_migrated_database();
    for (int i = 0; i < kInstances; ++i) {
      services_[i] = std::make_unique<ServiceUnderTest>(ServiceUnderTestOptions{
          .configure =
              [&](app::ServeConfig& config) {
                config.replicas.urls = cluster_->replica_urls(database);
                config.replicas.max_lag_s = kMaxLagS;
                config.replicas.health_interval_s = kHealthIntervalS;
                config.rate_limit = {.per_key = 1'000'000, .global = 1'000'000};
              },
          .database_url = cluster_->primary_url(database)});
    }
    for (int k = 0; k < kKeys; ++k) {
      const auto key = create_api_key(services_[0]->database_url(), "writer").key;
      for (int i = 0; i < kInstances; ++i) clients_[k][i] = services_[i]->client(key);
    }
  }
  static void TearDownTestSuite() {
    for (auto& service : services_) service.reset();
    cluster_.reset();
  }

  // Every case begins with Redis up, both instances relying on the shared tokens, and every key
  // known to both (a key made in the database reaches an instance's key ring within seconds).
  void SetUp() override {
    ASSERT_TRUE(services_[0] && services_[1]);
    wait_tokens_complete(2);
    for (auto& key : clients_) {
      for (auto& client : key) {
        wait_for(
            "key known", [&] { return client.get(list_target(0, "none")).status; }, 200);
      }
    }
  }

  void TearDown() override {
    TestServers::get().start_redis();  // a failed Redis case must not leave it stopped
    resume_replica_0();
  }

  static void wait_tokens_complete(double instances) {
    wait_for(
        "instances with complete tokens",
        [] { return metric(admin(), "utxoiq_db_ryw_tokens_complete"); }, instances);
  }

  static HttpClient& admin() {
    static HttpClient client = services_[0]->client();
    return client;
  }

  static std::string insight(int key) { return "ryw-" + std::to_string(key); }

  static std::string list_target(int key, const std::string& user) {
    return "/api/v1/feedback?insight_id=" + insight(key) + "&user_id=" + user;
  }

  // Reads replica 0 served (both instances).
  static double replica_0_reads() {
    const std::string host = "host=\"127.0.0.1:" + std::to_string(cluster_->replica_port(0)) + "\"";
    return metric(admin(), "utxoiq_db_reads_total", host);
  }

  void pause_replica_0() {
    if (paused_) return;
    cluster_->pause_replay(0);
    paused_ = true;
    replica_0_reads_at_pause_ = replica_0_reads();
  }

  void resume_replica_0() {
    if (!paused_) return;
    paused_replica_reads_ += replica_0_reads() - replica_0_reads_at_pause_;
    cluster_->resume_replay(0);
    paused_ = false;
  }

  // Runs `ops`; returns the first violation ("" when none). `strict_other_instance`: a read on the
  // instance that did not make the key's last write must see it however recent (tokens shared);
  // otherwise only once it is kOtherInstanceAllowance old (blind mode).
  std::string run(const std::vector<Op>& ops, bool strict_other_instance) {
    std::string trace;
    for (const auto& op : ops) {
      trace += "  " + describe(op) + "\n";
      switch (op.kind) {
        case OpKind::write: {
          const std::string user = "u" + std::to_string(++writes_);
          const std::string body = R"({"insight_id":")" + insight(op.key) + R"(","user_id":")" +
                                   user + R"(","rating":3})";
          const auto answer = clients_[op.key][op.instance].post("/api/v1/feedback/rate", body);
          if (answer.status >= 300) {
            return "write answered " + std::to_string(answer.status) + " " + answer.body;
          }
          last_[op.key] = LastWrite{user, op.instance, Clock::now()};
          break;
        }
        case OpKind::read: {
          const auto started = Clock::now();
          const auto last = last_.find(op.key);
          const std::string user = last == last_.end() ? "none" : last->second.user;
          const auto page = clients_[op.key][op.instance].get(list_target(op.key, user));
          if (page.status != 200) return "read answered " + std::to_string(page.status);
          ++reads_;
          if (last == last_.end()) break;
          const bool found = !page.json().at("feedback").as_array().empty();
          const bool same_instance = last->second.instance == op.instance;
          const bool old_enough = started - last->second.acknowledged >= kOtherInstanceAllowance;
          if (!same_instance && !strict_other_instance && !old_enough) {
            ++(found ? recent_other_fresh_ : recent_other_stale_);
            break;  // api.md allows another instance to see it up to 1 s late
          }
          if (!found) {
            return "key " + std::to_string(op.key) + " did not see its last acknowledged write " +
                   user + " (made on instance " + std::to_string(last->second.instance) +
                   ") on instance " + std::to_string(op.instance) + "\n" + trace;
          }
          break;
        }
        case OpKind::pause:
          pause_replica_0();
          break;
        case OpKind::resume:
          resume_replica_0();
          break;
        case OpKind::wait:
          std::this_thread::sleep_for(op.wait);
          break;
      }
    }
    resume_replica_0();
    return "";
  }

  static std::unique_ptr<ReplicaCluster> cluster_;
  static std::array<std::unique_ptr<ServiceUnderTest>, kInstances> services_;
  static std::array<std::array<HttpClient, kInstances>, kKeys> clients_;
  std::map<int, LastWrite> last_;
  bool paused_ = false;
  int writes_ = 0;
  int reads_ = 0;
  int recent_other_fresh_ = 0;
  int recent_other_stale_ = 0;
  double replica_0_reads_at_pause_ = 0;
  double paused_replica_reads_ = 0;  // reads replica 0 served while its replay was paused
};

std::unique_ptr<ReplicaCluster> ReplicaReadYourWritesTest::cluster_;
std::array<std::unique_ptr<ServiceUnderTest>, kInstances> ReplicaReadYourWritesTest::services_;
std::array<std::array<HttpClient, kInstances>, kKeys> ReplicaReadYourWritesTest::clients_{
    {{HttpClient(0), HttpClient(0)}, {HttpClient(0), HttpClient(0)}}};

TEST_F(ReplicaReadYourWritesTest, NoKeyEverReadsAStateOlderThanItsLastAcknowledgedWrite) {
  const double replica_reads_before =
      metric(admin(), "utxoiq_db_reads_total", "reason=\"replica\"");
  const double learned_before = metric(admin(), "utxoiq_db_ryw_tokens_learned_total");
  int cases = 0;
  const bool held = rc::check("no key reads a state older than its last acknowledged write", [&] {
    ++cases;
    const auto ops = *rc::gen::container<std::vector<Op>>(*rc::gen::inRange(4, 13), gen_op());
    const std::string violation = run(ops, true);
    if (!violation.empty()) RC_FAIL(violation);
  });
  EXPECT_TRUE(held);
  EXPECT_GE(cases, 100);
  // The property ran with shared tokens (no instance fell back to blind mode meanwhile) and the
  // replicas served reads, so it was not met by sending everything to the primary.
  EXPECT_EQ(metric(admin(), "utxoiq_db_ryw_tokens_complete"), 2);
  const double replica_reads =
      metric(admin(), "utxoiq_db_reads_total", "reason=\"replica\"") - replica_reads_before;
  const double learned = metric(admin(), "utxoiq_db_ryw_tokens_learned_total") - learned_before;
  RecordProperty("reads", std::to_string(reads_));
  RecordProperty("reads_to_replicas", std::to_string(replica_reads));
  RecordProperty("tokens_learned", std::to_string(learned));
  // How often the paused replica served a read (one whose key's token it had replayed): shown,
  // not required. That the property catches a router that ignores other instances' tokens was
  // checked by breaking ReplicaSet::learn_token: a counterexample within 59 cases.
  RecordProperty("reads_by_paused_replica", std::to_string(paused_replica_reads_));
  // The share depends on the machine's load (a replica behind the lag limit, or behind a key's
  // token, serves nothing): 36 % and 15 % of the reads in two runs, so the bound only says the
  // replicas took part.
  EXPECT_GE(replica_reads, 0.05 * reads_) << reads_ << " reads";
  EXPECT_GE(learned, writes_ * kInstances) << "every write's token reaches both instances";
}

TEST_F(ReplicaReadYourWritesTest, WithRedisStoppedBlindModeStillShowsEveryKeyItsOwnWrites) {
  TestServers::get().stop_redis();
  wait_tokens_complete(0);
  const double replica_reads_before =
      metric(admin(), "utxoiq_db_reads_total", "reason=\"replica\"");
  const auto seed = std::random_device{}();
  std::mt19937 rng(seed);
  for (int i = 0; i < 30; ++i) {
    const std::string violation = run(random_ops(rng), false);
    ASSERT_EQ(violation, "") << "seed " << seed;
  }
  EXPECT_EQ(metric(admin(), "utxoiq_db_ryw_tokens_complete"), 0);
  const double replica_reads =
      metric(admin(), "utxoiq_db_reads_total", "reason=\"replica\"") - replica_reads_before;
  RecordProperty("reads", std::to_string(reads_));
  RecordProperty("reads_to_replicas", std::to_string(replica_reads));
  RecordProperty("other_instance_within_1s_fresh", std::to_string(recent_other_fresh_));
  RecordProperty("other_instance_within_1s_stale", std::to_string(recent_other_stale_));
  // Blind mode, not primary-only: replicas under 1 s behind keep serving.
  EXPECT_GE(replica_reads, 1);

  TestServers::get().start_redis();
  wait_tokens_complete(2);  // back to shared tokens after the lag limit + 2 polls
}

}  // namespace
}  // namespace utxoiq::testing
