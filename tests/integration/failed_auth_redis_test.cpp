// Failed authentication limited per client address across processes, on the real redis-server
// (and PostgreSQL) of tests/support:
//  - two limiters (as two workers or two instances have) count one address's failures as one;
//  - the Lua script counts exactly as the in-process window (the fallback) for random sequences
//    (its time driven by hand);
//  - with Redis down no failure waits or fails, each process blocks after the failures it saw,
//    and Redis counts again when it is back;
//  - over HTTP, two whole services on one database and one Redis: bad keys sent to both
//    alternately get 401 up to the limit in total, then 429, and a right key is refused too;
//  - the counters of /metrics (utxoiq_auth_failures_total, utxoiq_auth_blocked_total) move by
//    exactly the requests refused 401 and 429, and each service reports the address blocked.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <random>
#include <sstream>

#include "cache/distributed_failed_auth_limiter.hpp"
#include "cache/redis_client.hpp"
#include "cache/redis_failure_counts.hpp"
#include "resilience/failed_auth_window.hpp"
#include "support/run_task.hpp"
#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::cache {
namespace {

using namespace std::chrono_literals;
using resilience::FailedAuthLimits;
using resilience::ManualClock;
using testing::run_task;
using testing::sleep_for;
using testing::TestServers;

constexpr FailedAuthLimits kLimits{.limit = 4, .window = 60s, .max_addresses = 1000};

class FailedAuthRedis : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto& client : clients_) {
      client = std::make_unique<RedisClient>(io_, client_options());
      run(client->start());
    }
    std::vector<std::string> flush{"FLUSHALL"};
    ASSERT_EQ(run(clients_[0]->command(flush)).describe(), "+OK");
  }
  void TearDown() override { TestServers::get().start_redis(); }

  static RedisClientOptions client_options() {
    RedisClientOptions o;
    o.url = TestServers::get().redis_url();
    o.reconnect_backoff = {20ms, 200ms, 2.0};
    return o;
  }
  static RedisFailureCountsOptions counts_options(std::string instance, std::string prefix = "") {
    RedisFailureCountsOptions o;
    o.limits = kLimits;
    o.instance_id = std::move(instance);
    o.key_prefix = std::move(prefix);
    return o;
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }
  // The answer a failure gets: 401, or 429 with its Retry-After.
  std::string fail(FailedAuthLimiter& limiter, const std::string& address) {
    const auto over = run(limiter.record_failure(address));
    return over ? "429" : "401";
  }
  void wait_for_redis(std::size_t client, RedisState state) {
    for (int i = 0; i < 500 && clients_[client]->state() != state; ++i) run(sleep_for(10ms));
    ASSERT_EQ(clients_[client]->state(), state);
  }

  boost::asio::io_context io_;
  std::array<std::unique_ptr<RedisClient>, 2> clients_;
};

TEST_F(FailedAuthRedis, TwoProcessesCountOneAddressAsOne) {
  RedisFailureCounts counts_a(*clients_[0], counts_options("a"));
  RedisFailureCounts counts_b(*clients_[1], counts_options("b"));
  DistributedFailedAuthLimiter a(counts_a, kLimits);
  DistributedFailedAuthLimiter b(counts_b, kLimits);
  DistributedFailedAuthLimiter* both[] = {&a, &b};
  std::vector<std::string> answers;
  for (int i = 0; i < 8; ++i) {
    DistributedFailedAuthLimiter& process = *both[i % 2];
    answers.push_back(process.blocked("192.0.2.1") ? "429 before the key"
                                                   : fail(process, "192.0.2.1"));
  }
  // 4 in total, not 4 each; a learns the block from its 3rd failure, then both refuse at once.
  const std::vector<std::string> expected{"401",
                                          "401",
                                          "401",
                                          "401",
                                          "429",
                                          "429 before the key",
                                          "429 before the key",
                                          "429 before the key"};
  EXPECT_EQ(answers, expected);
  // What /metrics exports: one count per refused request, 401 and 429 apart (asked before the
  // checks below: each yes of blocked() counts as a refused request, as the middleware sends one).
  EXPECT_EQ(a.counters().unauthorized + b.counters().unauthorized, 4u);
  EXPECT_EQ(a.counters().blocked + b.counters().blocked, 4u);
  const auto wait = a.blocked("192.0.2.1");
  ASSERT_TRUE(wait);
  EXPECT_GE(*wait, 59);
  EXPECT_LE(*wait, 60);
  EXPECT_FALSE(b.blocked("192.0.2.2")) << "per address";
  EXPECT_EQ(a.counters().shared + b.counters().shared, 5u);
  EXPECT_EQ(a.counters().in_process + b.counters().in_process, 0u);
  EXPECT_EQ(counts_a.errors() + counts_b.errors(), 0u);
  EXPECT_EQ(a.blocked_addresses(), 1u);
  EXPECT_EQ(b.blocked_addresses(), 1u);
}

TEST_F(FailedAuthRedis, TheScriptCountsAsTheInProcessWindow) {
  std::mt19937 rng(20'261'203);
  for (int sequence = 0; sequence < 100; ++sequence) {
    ManualClock clock;
    const FailedAuthLimits limits{.limit = 1 + rng() % 5,
                                  .window = std::chrono::milliseconds(500 + rng() % 3000),
                                  .max_addresses = 10};
    const std::string prefix = "seq" + std::to_string(sequence) + ":";
    std::array<std::unique_ptr<RedisFailureCounts>, 2> counts;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      auto o = counts_options("p" + std::to_string(i), prefix);
      o.limits = limits;
      o.redis_clock = clock.fn();
      counts[i] = std::make_unique<RedisFailureCounts>(*clients_[i], o);
    }
    resilience::FailedAuthWindow reference(limits);
    const int arrivals = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < arrivals; ++i) {
      clock.advance(std::chrono::milliseconds(rng() % 3 == 0 ? 0 : rng() % 700));
      const std::string address = "198.51.100." + std::to_string(rng() % 3);
      const bool blocked_before = reference.blocked(address, clock.now()).has_value();
      reference.record_failure(address, clock.now());
      const auto blocked_after = reference.blocked(address, clock.now());
      const auto got = run(counts[rng() % 2]->add(address));
      ASSERT_TRUE(got) << "sequence " << sequence;
      ASSERT_EQ(got->before >= limits.limit, blocked_before)
          << "sequence " << sequence << " arrival " << i;
      ASSERT_EQ(got->blocked_for > resilience::Duration::zero(), blocked_after.has_value())
          << "sequence " << sequence << " arrival " << i;
      if (blocked_after) {
        ASSERT_EQ(resilience::ceil_seconds(got->blocked_for), *blocked_after)
            << "sequence " << sequence << " arrival " << i;
      }
    }
  }
}

TEST_F(FailedAuthRedis, WithRedisDownEachProcessBlocksByItselfAndNoFailureWaits) {
  RedisFailureCounts counts_a(*clients_[0], counts_options("a"));
  RedisFailureCounts counts_b(*clients_[1], counts_options("b"));
  DistributedFailedAuthLimiter a(counts_a, kLimits);
  DistributedFailedAuthLimiter b(counts_b, kLimits);
  EXPECT_EQ(fail(a, "192.0.2.9"), "401");  // counted in Redis and in a
  TestServers::get().stop_redis();
  wait_for_redis(0, RedisState::down);
  wait_for_redis(1, RedisState::down);

  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fail(a, "192.0.2.9"), "401");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s) << "no failure waits for Redis";
  EXPECT_TRUE(a.blocked("192.0.2.9")) << "a's own 4 failures: never unlimited";
  EXPECT_FALSE(b.blocked("192.0.2.9")) << "per process during the outage";
  for (int i = 0; i < 4; ++i) EXPECT_EQ(fail(b, "192.0.2.9"), "401");
  EXPECT_TRUE(b.blocked("192.0.2.9"));
  EXPECT_EQ(a.counters().in_process, 3u);
  EXPECT_EQ(b.counters().in_process, 4u);

  TestServers::get().start_redis();  // an empty Redis: it saw the one failure before the outage
  wait_for_redis(0, RedisState::up);
  wait_for_redis(1, RedisState::up);
  EXPECT_TRUE(a.blocked("192.0.2.9")) << "the failures of the outage still count in a";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fail(a, "192.0.2.10"), "401");
  EXPECT_EQ(fail(b, "192.0.2.10"), "401");  // the 4th in Redis
  EXPECT_TRUE(b.blocked("192.0.2.10"));
  EXPECT_EQ(fail(a, "192.0.2.10"), "429");
  EXPECT_EQ(a.counters().shared + b.counters().shared, 6u);
}

// The sum of the samples named `name` in a scrape: with two services in this test process, each
// adds its own (unlabelled) sample to the one registry, so the sum is the two services' total.
double sum_of(const std::string& exposition, const std::string& name) {
  double sum = 0;
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + " ", 0) == 0) sum += std::stod(line.substr(name.size() + 1));
  }
  return sum;
}

// Two whole services (as two instances, or two workers of `serve --workers 2`) on one database
// and one Redis, with --auth-failure-limit 4.
TEST_F(FailedAuthRedis, OverHttpTwoServicesLimitOneAddressAsOne) {
  testing::ServiceUnderTestOptions options;
  options.configure = [](app::ServeConfig& config) { config.failed_auth_limit = 4; };
  testing::ServiceUnderTest service_a(options);
  options.database_url = service_a.database_url();
  testing::ServiceUnderTest service_b(options);
  auto a = service_a.client("wrong-key-0123456789abcdef0123456789");
  auto b = service_b.client("wrong-key-0123456789abcdef0123456789");
  const std::string route = "/api/v1/monitoring/backfill/status";
  const std::string before = a.get("/metrics").body;
  EXPECT_EQ(sum_of(before, "utxoiq_auth_failures_total"), 0);
  EXPECT_EQ(sum_of(before, "utxoiq_auth_blocked_total"), 0);
  EXPECT_EQ(sum_of(before, "utxoiq_auth_blocked_addresses"), 0);

  std::vector<int> statuses;
  for (int i = 0; i < 8; ++i) statuses.push_back((i % 2 == 0 ? a : b).get(route).status);
  const std::vector<int> expected{401, 401, 401, 401, 429, 429, 429, 429};
  EXPECT_EQ(statuses, expected);

  // Blocked on both: the right key is refused like a wrong one, with a Retry-After.
  for (auto* client : {&a, &b}) {
    client->set_header("Authorization",
                       std::string("Bearer ") + testing::ServiceUnderTest::kAdminKey);
    const auto refused = client->get(route);
    EXPECT_EQ(refused.status, 429);
    EXPECT_GE(std::stoi(refused.header("Retry-After")), 1);
    EXPECT_EQ(refused.json().as_object().at("status").as_int64(), 429);
  }
  EXPECT_EQ(a.get("/healthz").status, 200) << "open routes are not limited";

  // 4 refused 401, 4 + 2 (the right key) refused 429; the address blocked in both services.
  const std::string after = a.get("/metrics").body;
  EXPECT_EQ(sum_of(after, "utxoiq_auth_failures_total"), 4);
  EXPECT_EQ(sum_of(after, "utxoiq_auth_blocked_total"), 6);
  EXPECT_EQ(sum_of(after, "utxoiq_auth_blocked_addresses"), 2);
  EXPECT_EQ(after.find("wrong-key"), std::string::npos) << "never a key";
}

}  // namespace
}  // namespace utxoiq::cache
