// The distributed rate limiter on the real redis-server of tests/support: two limiter instances
// (as two service processes would have) share one per-key and one global window; the Lua script
// makes exactly the decisions of the in-process reference limiter for random arrival sequences
// (window time driven by hand); with Redis down the in-process limits take over (never unlimited)
// and Redis takes over again when it is back, without one instance exceeding the limit in any
// window across the outage; and over HTTP, behind the middleware, the limit is
// global across two servers while admin keys pass.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <random>
#include <thread>

#include "api/rate_limit_middleware.hpp"
#include "cache/distributed_rate_limiter.hpp"
#include "cache/redis_client.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "resilience/sliding_window_limiter.hpp"
#include "support/http_client.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::cache {
namespace {

using namespace std::chrono_literals;
using resilience::ManualClock;
using resilience::RateLimitDecision;
using testing::run_task;
using testing::sleep_for;
using testing::TestServers;

class RateLimiterRedis : public ::testing::Test {
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
  DistributedRateLimiterOptions options(std::uint32_t per_key, std::uint32_t global,
                                        std::string prefix = "") {
    DistributedRateLimiterOptions o;
    o.limits.per_key_limit = per_key;
    o.limits.global_limit = global;
    o.limits.window = 60s;
    o.key_prefix = std::move(prefix);
    return o;
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }
  RateLimitDecision acquire(RateLimiter& limiter, std::string key, bool admin = false) {
    return run(limiter.acquire(std::move(key), admin));
  }

  boost::asio::io_context io_;
  std::array<std::unique_ptr<RedisClient>, 2> clients_;
};

TEST_F(RateLimiterRedis, TwoInstancesShareTheKeyAndGlobalWindows) {
  DistributedRateLimiter a(*clients_[0], options(5, 8));
  DistributedRateLimiter b(*clients_[1], options(5, 8));
  DistributedRateLimiter* both[] = {&a, &b};
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += acquire(*both[i % 2], "k1").allowed ? 1 : 0;
  EXPECT_EQ(allowed, 5);  // 5 for k1 across both instances, not 5 each
  allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += acquire(*both[i % 2], "k2").allowed ? 1 : 0;
  EXPECT_EQ(allowed, 3);  // the global 8
  const RateLimitDecision refused = acquire(b, "k3");
  EXPECT_FALSE(refused.allowed);
  EXPECT_GE(refused.retry_after_seconds, 1);
  EXPECT_LE(refused.retry_after_seconds, 60);
  EXPECT_EQ(refused.remaining, 0u);
  EXPECT_TRUE(acquire(a, "k3", /*admin=*/true).allowed);  // admins: never limited
  EXPECT_EQ(a.counters().fallback_decisions, 0u);
  EXPECT_EQ(a.counters().redis_decisions + b.counters().redis_decisions, 21u);
}

TEST_F(RateLimiterRedis, TheScriptDecidesExactlyAsTheInProcessReference) {
  std::mt19937 rng(20'241'201);
  for (int sequence = 0; sequence < 100; ++sequence) {
    ManualClock clock;
    const std::uint32_t per_key = 1 + rng() % 4;
    const std::uint32_t global = 1 + rng() % 7;
    const auto window = std::chrono::milliseconds(500 + rng() % 3000);
    auto o = options(per_key, global, "seq" + std::to_string(sequence) + ":");
    o.limits.window = window;
    o.redis_clock = clock.fn();
    DistributedRateLimiter a(*clients_[0], o);
    DistributedRateLimiter b(*clients_[1], o);
    resilience::SlidingWindowLimiter reference(o.limits, clock.fn());
    const int arrivals = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < arrivals; ++i) {
      clock.advance(std::chrono::milliseconds(rng() % 3 == 0 ? 0 : rng() % 700));
      const std::string key = "k" + std::to_string(rng() % 3);
      DistributedRateLimiter& limiter = rng() % 2 == 0 ? a : b;
      const RateLimitDecision got = acquire(limiter, key);
      const RateLimitDecision want = reference.acquire(key);
      ASSERT_EQ(got.allowed, want.allowed) << "sequence " << sequence << " arrival " << i;
      ASSERT_EQ(got.remaining, want.remaining) << "sequence " << sequence << " arrival " << i;
      ASSERT_EQ(got.reset_seconds, want.reset_seconds) << "sequence " << sequence;
      ASSERT_EQ(got.retry_after_seconds, want.retry_after_seconds) << "sequence " << sequence;
      ASSERT_EQ(got.limit, want.limit);
    }
    ASSERT_EQ(a.counters().fallback_decisions + b.counters().fallback_decisions, 0u);
  }
}

TEST_F(RateLimiterRedis, WithRedisDownTheInProcessLimitsTakeOverNeverUnlimited) {
  DistributedRateLimiter a(*clients_[0], options(3, 100));
  EXPECT_TRUE(acquire(a, "k").allowed);
  TestServers::get().stop_redis();
  for (int i = 0; i < 500 && clients_[0]->state() == RedisState::up; ++i) run(sleep_for(10ms));
  ASSERT_EQ(clients_[0]->state(), RedisState::down);

  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += acquire(a, "k").allowed ? 1 : 0;
  // The same limit, in process: 2 more, because the one Redis admitted was counted here too.
  EXPECT_EQ(allowed, 2);
  EXPECT_GE(a.counters().fallback_decisions, 10u);

  TestServers::get().start_redis();
  for (int i = 0; i < 500 && clients_[0]->state() != RedisState::up; ++i) run(sleep_for(10ms));
  ASSERT_EQ(clients_[0]->state(), RedisState::up);
  const auto from_redis = a.counters().redis_decisions;
  EXPECT_TRUE(acquire(a, "other").allowed);
  EXPECT_EQ(a.counters().redis_decisions, from_redis + 1);
}

TEST_F(RateLimiterRedis, AcrossAnOutageOneInstanceNeverAdmitsMoreThanTheLimitInAWindow) {
  ManualClock clock;  // both windows: Redis's and the fallback's
  auto o = options(4, 100);
  o.redis_clock = clock.fn();
  o.fallback_clock = clock.fn();
  DistributedRateLimiter a(*clients_[0], o);
  int admitted = 0;
  const auto try_k = [&](int times) {
    for (int i = 0; i < times; ++i) {
      admitted += acquire(a, "k").allowed ? 1 : 0;
      clock.advance(1s);
    }
  };
  try_k(2);  // through Redis
  EXPECT_EQ(a.counters().redis_decisions, 2u);

  TestServers::get().stop_redis();
  for (int i = 0; i < 500 && clients_[0]->state() == RedisState::up; ++i) run(sleep_for(10ms));
  ASSERT_EQ(clients_[0]->state(), RedisState::down);
  try_k(3);  // in process: it knows the 2 of Redis, so 2 more
  EXPECT_EQ(admitted, 4);
  EXPECT_EQ(a.counters().fallback_decisions, 3u);

  TestServers::get().start_redis();  // it never saw the 2 admitted in process
  for (int i = 0; i < 500 && clients_[0]->state() != RedisState::up; ++i) run(sleep_for(10ms));
  ASSERT_EQ(clients_[0]->state(), RedisState::up);
  try_k(5);  // Redis alone would admit 4 more; the window still holds 4
  EXPECT_EQ(admitted, 4);
  EXPECT_EQ(a.counters().fallback_decisions, 3u);  // decided in process, not by the fallback

  clock.advance(60s);  // past the window of everything admitted: Redis decides alone again
  try_k(6);
  EXPECT_EQ(admitted, 8);
  EXPECT_EQ(a.counters().fallback_decisions, 3u);
}

// Over HTTP: a stand-in for the auth middleware (X-Test-Key names the key, "root" is an admin),
// then the rate-limit middleware, on two servers with a limiter each, sharing Redis.
TEST_F(RateLimiterRedis, OverHttpTheLimitIsGlobalAcrossServersAndAdminsPass) {
  DistributedRateLimiter limiter_a(*clients_[0], options(4, 1000));
  DistributedRateLimiter limiter_b(*clients_[1], options(4, 1000));
  const auto make_server = [&](DistributedRateLimiter& limiter) {
    http::Router router;
    router.get(
        "/api/v1/thing",
        [](http::Request&) -> Task<http::Response> { co_return http::text_response(200, "ok"); },
        {.name = "thing", .body_limit = http::kDefaultBodyLimit, .min_role = http::Role::reader});
    http::ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.access_log = false;
    auto server = std::make_unique<http::Server>(io_, std::move(router), so);
    server->use([](http::Request& request, const http::Next& next) -> Task<http::Response> {
      if (const auto key = request.header("X-Test-Key")) {
        request.principal =
            http::Principal{.key_id = std::string(*key),
                            .role = *key == "root" ? http::Role::admin : http::Role::reader};
      }
      co_return co_await next(request);
    });
    server->use(api::rate_limit_middleware(limiter));
    server->start();
    return server;
  };
  auto server_a = make_server(limiter_a);
  auto server_b = make_server(limiter_b);
  auto work = boost::asio::make_work_guard(io_);
  std::thread loop([&] {
    io_.restart();
    io_.run();
  });
  testing::HttpClient a(server_a->bound_port());
  testing::HttpClient b(server_b->bound_port());
  a.set_header("X-Test-Key", "key-1");
  b.set_header("X-Test-Key", "key-1");

  std::vector<int> statuses;
  for (int i = 0; i < 6; ++i) {
    const auto r = (i % 2 == 0 ? a : b).get("/api/v1/thing");
    statuses.push_back(r.status);
    EXPECT_EQ(r.header("RateLimit-Limit"), "4");
    EXPECT_FALSE(r.header("RateLimit-Remaining").empty());
    EXPECT_FALSE(r.header("RateLimit-Reset").empty());
    if (r.status == 429) {
      EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
      EXPECT_GE(std::stoi(r.header("Retry-After")), 1);
      EXPECT_EQ(r.json().as_object().at("status").as_int64(), 429);
    }
  }
  const std::vector<int> expected{200, 200, 200, 200, 429, 429};
  EXPECT_EQ(statuses, expected);

  a.set_header("X-Test-Key", "root");
  for (int i = 0; i < 10; ++i) {
    const auto r = a.get("/api/v1/thing");
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.has_header("RateLimit-Limit"));
  }
  a.set_header("X-Test-Key", "");
  const auto open = a.get("/api/v1/thing");  // no principal: auth's business, not ours
  EXPECT_EQ(open.status, 200);
  EXPECT_FALSE(open.has_header("RateLimit-Limit"));

  boost::asio::post(io_, [&] {
    server_a->stop();
    server_b->stop();
  });
  work.reset();
  boost::asio::post(io_, [&] { io_.stop(); });
  loop.join();
}

}  // namespace
}  // namespace utxoiq::cache
