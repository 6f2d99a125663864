// The circuit breaker around the PostgreSQL pool, on the real server of tests/support (stopped and
// started by the tests; a binary of its own for that reason): connection failures open it, after
// which calls are refused at once with CircuitOpen (nothing is sent), and an HTTP route that needs
// the database answers 503 problem+json with an integer Retry-After; SQL errors (unique
// violations, syntax errors) never count; once the server is back the breaker closes by itself.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <thread>

#include "api/database_errors.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "pg/pool.hpp"
#include "support/http_client.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::pg {
namespace {

using resilience::BreakerState;
using resilience::CircuitBreaker;
using resilience::CircuitBreakerOptions;
using testing::run_task;
using testing::sleep_for;
using testing::TestServers;
using namespace std::chrono_literals;

CircuitBreakerOptions breaker_options(std::chrono::milliseconds open_for) {
  CircuitBreakerOptions o;
  o.minimum_calls = 3;
  o.failure_rate_threshold = 0.5;
  o.open_duration = open_for;
  o.max_open_duration = open_for;
  o.half_open_probes = 1;
  return o;
}

class PgBreaker : public ::testing::Test {
 protected:
  void TearDown() override { TestServers::get().start_postgres(); }  // whatever a test did

  PoolOptions options(std::shared_ptr<CircuitBreaker> breaker) {
    PoolOptions o;
    o.conninfo = url_;
    o.name = "primary";
    o.min_size = 1;
    o.max_size = 3;
    o.connect_retries = 1;
    o.connect_backoff = {10ms, 20ms, 2.0};
    o.acquire_timeout = 30s;  // failures must be fast ConnectionErrors, not timeouts
    o.breaker = std::move(breaker);
    return o;
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }

  boost::asio::io_context io_;
  std::string url_ = TestServers::get().create_database();
};

TEST_F(PgBreaker, ConnectionFailuresOpenItAndThenCallsAreRefusedWithoutTrying) {
  auto breaker = std::make_shared<CircuitBreaker>(breaker_options(60s));
  Pool pool(io_.get_executor(), options(breaker));
  run(pool.start());
  TestServers::get().stop_postgres();

  int connection_errors = 0;
  for (int i = 0; i < 3; ++i) {
    try {
      run(pool.execute("SELECT 1"));
    } catch (const ConnectionError&) {
      ++connection_errors;
    }
  }
  EXPECT_EQ(connection_errors, 3);
  EXPECT_EQ(breaker->state(), BreakerState::open);

  const auto connects_before = pool.stats().connect_failures_total;
  try {
    run(pool.execute("SELECT 1"));
    ADD_FAILURE() << "an open breaker must refuse the call";
  } catch (const CircuitOpen& e) {
    EXPECT_GE(e.retry_after_s(), 1);
    EXPECT_LE(e.retry_after_s(), 60);
  }
  EXPECT_EQ(pool.stats().connect_failures_total, connects_before);  // nothing was tried
  EXPECT_EQ(breaker->counters().rejected, 1u);
  run(pool.close());
}

TEST_F(PgBreaker, SqlErrorsAreAnswersAndNeverOpenIt) {
  auto breaker = std::make_shared<CircuitBreaker>(breaker_options(60s));
  Pool pool(io_.get_executor(), options(breaker));
  run(pool.start());
  run(pool.execute("CREATE TABLE t (id int PRIMARY KEY)"));
  run(pool.execute("INSERT INTO t VALUES (1)"));
  for (int i = 0; i < 10; ++i) {
    EXPECT_THROW(run(pool.execute("INSERT INTO t VALUES (1)")), QueryError);  // unique violation
    EXPECT_THROW(run(pool.execute("SELEC nonsense")), QueryError);            // syntax error
  }
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  EXPECT_EQ(breaker->counters().failures, 0u);
  EXPECT_EQ(breaker->counters().successes, 22u);
  run(pool.close());
}

TEST_F(PgBreaker, ClosesByItselfOnceTheServerIsBack) {
  auto breaker = std::make_shared<CircuitBreaker>(breaker_options(200ms));
  Pool pool(io_.get_executor(), options(breaker));
  run(pool.start());
  TestServers::get().stop_postgres();
  for (int i = 0; i < 3; ++i) EXPECT_THROW(run(pool.execute("SELECT 1")), ConnectionError);
  EXPECT_EQ(breaker->state(), BreakerState::open);
  TestServers::get().start_postgres();

  bool answered = false;
  for (int i = 0; i < 500 && !answered; ++i) {
    try {
      answered = run(pool.execute("SELECT 1")).int64(0, 0) == 1;
    } catch (const Error&) {
      run(sleep_for(20ms));  // open (CircuitOpen) or a probe that met a server still starting
    }
  }
  EXPECT_TRUE(answered);
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  EXPECT_GE(breaker->counters().closed, 1u);
  run(pool.close());
}

// The HTTP side: a route that needs the database, behind the same exception mapping as the
// service (api::map_database_error), served on a thread of its own.
TEST_F(PgBreaker, RoutesThatNeedTheDatabaseAnswer503WithRetryAfterOnceItIsOpen) {
  auto breaker = std::make_shared<CircuitBreaker>(breaker_options(60s));
  Pool pool(io_.get_executor(), options(breaker));
  run(pool.start());
  http::Router router;
  router.get("/needs-db",
             [&pool](http::Request&) -> Task<http::Response> {
               co_await pool.execute("SELECT 1");
               co_return http::text_response(200, "ok");
             },
             {.name = "needs_db", .body_limit = http::kDefaultBodyLimit, .min_role = std::nullopt});
  http::ServerOptions server_options;
  server_options.host = "127.0.0.1";
  server_options.port = 0;
  server_options.access_log = false;
  http::Server server(io_, std::move(router), server_options);
  server.map_exceptions(api::map_database_error);
  server.start();
  auto work = boost::asio::make_work_guard(io_);
  std::thread loop([&] {
    io_.restart();
    io_.run();
  });
  testing::HttpClient client(server.bound_port());
  EXPECT_EQ(client.get("/needs-db").status, 200);

  TestServers::get().stop_postgres();
  // Until the breaker opens the requests fail on connection errors (503 too); from then on it
  // refuses them without trying: rejected counts them.
  testing::HttpResponse response;
  for (int i = 0; i < 50 && breaker->counters().rejected == 0; ++i) {
    response = client.get("/needs-db");
    EXPECT_EQ(response.status, 503);
  }
  ASSERT_GE(breaker->counters().rejected, 1u);
  ASSERT_EQ(response.status, 503);
  EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
  const std::string retry_after = response.header("Retry-After");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_EQ(retry_after.find_first_not_of("0123456789"), std::string::npos) << retry_after;
  EXPECT_GE(std::stoi(retry_after), 1);
  const auto body = response.json().as_object();
  EXPECT_EQ(body.at("status").as_int64(), 503);
  EXPECT_EQ(body.at("detail").as_string(), "The database is not available right now.");
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);
  EXPECT_EQ(response.body.find("postgres"), std::string::npos);

  boost::asio::post(io_, [&] { server.stop(); });
  work.reset();
  boost::asio::post(io_, [&] { io_.stop(); });
  loop.join();
}

}  // namespace
}  // namespace utxoiq::pg
