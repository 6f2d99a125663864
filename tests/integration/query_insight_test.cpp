// Query insight on a real PostgreSQL behind a real HTTP server: test-only routes run statements
// through a pool observed by pg::QueryInsight, with the request scope middleware installed as in
// the service. A slow statement (pg_sleep) is logged and listed with its request and its plan; a
// route running one statement 6 times is reported as N+1 with its count; two such requests
// interleaved on the one I/O thread are each counted on their own, and so are requests one after
// the other on one keep-alive connection (whose context the server reuses). A slow statement run
// 3 times is
// EXPLAINed once; a minute later (an injected clock) once more.
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <future>
#include <thread>

#include "api/api_docs.hpp"
#include "api/monitoring_queries_routes.hpp"
#include "http/request_scope.hpp"
#include "http/response.hpp"
#include "http/server.hpp"
#include "obs/logging.hpp"
#include "obs/metrics.hpp"
#include "pg/pool.hpp"
#include "pg/query_insight.hpp"
#include "support/http_client.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::HttpClient;

// Named constants: GCC 12 miscompiles string literals inside co_await expressions.
constexpr std::string_view kRepeated = "SELECT $1::int + 1";
constexpr std::string_view kSleep = "SELECT pg_sleep($1::float8)";

Task<http::Response> repeat(pg::Pool& pool, int times, std::chrono::milliseconds pause) {
  for (int i = 0; i < times; ++i) {
    pg::Params params{std::to_string(i)};
    co_await pool.execute(kRepeated, std::move(params));
    if (pause.count() > 0) co_await testing::sleep_for(pause);
  }
  co_return http::json_response(200, boost::json::object{{"ran", times}});
}

int query_int(const http::Request& request, std::string_view name) {
  return std::stoi(std::string(request.query(name).value_or("1")));
}

class QueryInsightTest : public ::testing::Test {
 protected:
  QueryInsightTest() {
    obs::init_logging(obs::LogLevel::info, true, log_);
    pg::PoolOptions options;
    options.conninfo = testing::TestServers::get().create_database();
    options.min_size = 2;
    options.max_size = 4;
    options.connection.observer = insight_.observer();
    pool_.emplace(io_.get_executor(), options);
    insight_.set_explain_pool(&*pool_);
    testing::run_task(io_, pool_->start());
    server_.emplace(io_, make_router(), http::ServerOptions{.host = "127.0.0.1", .port = 0});
    server_->use(http::request_scope_middleware(
        [this](const obs::RequestContext& request) { insight_.request_finished(request); }));
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~QueryInsightTest() override {
    std::promise<void> stopped;
    asio::co_spawn(io_, stop(), [&](std::exception_ptr) { stopped.set_value(); });
    stopped.get_future().wait();
    work_.reset();
    io_.stop();
    thread_.join();
    obs::init_logging(obs::LogLevel::info, true);
  }

  Task<void> stop() {
    co_await server_->shutdown(1s);
    co_await pool_->close(1s);
  }

  http::Router make_router() {
    http::Router router;
    router.get("/test/slow",
               [this](http::Request&) -> Task<http::Response> {
                 pg::Params params{std::string("0.15")};
                 co_await pool_->execute(kSleep, std::move(params));
                 co_return http::json_response(200, boost::json::object{});
               },
               {.name = "test_slow", .body_limit = http::kDefaultBodyLimit, .min_role = {}});
    router.get("/test/repeat",
               [this](http::Request& request) {
                 return repeat(*pool_, query_int(request, "n"),
                               std::chrono::milliseconds(query_int(request, "pause_ms")));
               },
               {.name = "test_repeat", .body_limit = http::kDefaultBodyLimit, .min_role = {}});
    api::add_monitoring_queries_routes(router, {.insight = insight_}, docs_);
    return router;
  }

  // GET /queries until `done` holds of its body (the EXPLAIN runs in the background).
  template <typename Predicate>
  boost::json::object queries_when(Predicate done) {
    HttpClient client(server_->bound_port());
    boost::json::object body;
    for (int i = 0; i < 200; ++i) {
      const auto response = client.get("/api/v1/monitoring/database/queries");
      EXPECT_EQ(response.status, 200);
      body = response.json().as_object();
      if (done(body)) break;
      std::this_thread::sleep_for(25ms);
    }
    return body;
  }

  std::string logs() const {
    std::string out;
    for (const auto& line : log_->last_formatted()) out += line;
    return out;
  }

  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> log_ =
      std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000);
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  obs::Registry registry_;
  // Added to the steady clock QueryInsight reads (explain_interval), so a test can move it on.
  std::atomic<std::int64_t> clock_ahead_s_{0};
  pg::QueryInsight insight_{io_.get_executor(),
                            {.slow_threshold = 100ms,
                             .clock =
                                 [this] {
                                   return std::chrono::steady_clock::now() +
                                          std::chrono::seconds(clock_ahead_s_.load());
                                 }},
                            registry_};
  std::optional<pg::Pool> pool_;
  api::ApiDocs docs_;
  std::optional<http::Server> server_;
  std::thread thread_;
};

TEST_F(QueryInsightTest, SlowStatementIsLoggedAndListedWithItsRequestAndPlan) {
  HttpClient client(server_->bound_port());
  ASSERT_EQ(client.get("/test/slow", {{"X-Request-Id", "req-slow-1"}}).status, 200);
  const auto body = queries_when([](const boost::json::object& b) {
    const auto& slow = b.at("slow_queries").as_array();
    return !slow.empty() && !slow.at(0).at("plan").is_null();
  });
  const auto& slow = body.at("slow_queries").as_array();
  ASSERT_EQ(slow.size(), 1u);
  const auto& entry = slow.at(0).as_object();
  EXPECT_EQ(entry.at("query").as_string(), "SELECT pg_sleep($1::float8)");
  EXPECT_EQ(entry.at("request_id").as_string(), "req-slow-1");
  EXPECT_EQ(entry.at("route").as_string(), "test_slow");
  EXPECT_GE(entry.at("duration_ms").to_number<double>(), 150.0);
  const auto& plan = entry.at("plan").as_array();
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan.at(0).at("Plan").at("Node Type").as_string(), "Result");
  const std::string log = logs();
  EXPECT_NE(log.find("slow statement"), std::string::npos) << log;
  EXPECT_NE(log.find("req-slow-1"), std::string::npos) << log;
  EXPECT_NE(log.find("Node Type"), std::string::npos) << log;
  // Its statistics: one call of at least 150 ms.
  bool found = false;
  for (const auto& q : body.at("queries").as_array()) {
    if (q.at("query").as_string() != "SELECT pg_sleep($1::float8)") continue;
    found = true;
    EXPECT_EQ(q.at("calls").to_number<std::int64_t>(), 1);
    EXPECT_GE(q.at("max_ms").to_number<double>(), 150.0);
    EXPECT_GE(q.at("p95_ms").to_number<double>(), 150.0);
  }
  EXPECT_TRUE(found);
}

std::size_t explained(const boost::json::object& body) {
  std::size_t plans = 0;
  for (const auto& slow : body.at("slow_queries").as_array()) plans += !slow.at("plan").is_null();
  return plans;
}

std::size_t occurrences(const std::string& text, std::string_view part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST_F(QueryInsightTest, SlowStatementIsExplainedAtMostOncePerFingerprintPerMinute) {
  HttpClient client(server_->bound_port());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.get("/test/slow").status, 200);
  auto body = queries_when([](const boost::json::object& b) {
    return b.at("slow_queries").as_array().size() == 3 && explained(b) == 1;
  });
  ASSERT_EQ(body.at("slow_queries").as_array().size(), 3u);
  std::this_thread::sleep_for(200ms);  // time for a second EXPLAIN, if one had been started
  body = queries_when([](const auto&) { return true; });
  EXPECT_EQ(explained(body), 1u) << boost::json::serialize(body);
  EXPECT_EQ(occurrences(logs(), "explained less than explain_interval ago"), 2u) << logs();

  clock_ahead_s_ = 61;  // a minute later: explained again, once
  ASSERT_EQ(client.get("/test/slow").status, 200);
  body = queries_when([](const boost::json::object& b) {
    return b.at("slow_queries").as_array().size() == 4 && explained(b) == 2;
  });
  EXPECT_EQ(explained(body), 2u) << boost::json::serialize(body);
  EXPECT_FALSE(body.at("slow_queries").as_array().at(0).at("plan").is_null());  // newest first
}

TEST_F(QueryInsightTest, RouteRunningOneStatementSixTimesIsReportedAsNPlusOne) {
  HttpClient client(server_->bound_port());
  ASSERT_EQ(client.get("/test/repeat?n=6", {{"X-Request-Id", "req-n1-a"}}).status, 200);
  ASSERT_EQ(client.get("/test/repeat?n=4", {{"X-Request-Id", "req-n1-b"}}).status, 200);
  const auto body = queries_when([](const auto&) { return true; });
  const auto& reports = body.at("n_plus_one").as_array();
  ASSERT_EQ(reports.size(), 1u) << boost::json::serialize(body);
  const auto& report = reports.at(0).as_object();
  EXPECT_EQ(report.at("count").to_number<int>(), 6);
  EXPECT_EQ(report.at("request_id").as_string(), "req-n1-a");
  EXPECT_EQ(report.at("route").as_string(), "test_repeat");
  EXPECT_EQ(report.at("query").as_string(), "SELECT $1::int + $2");
  EXPECT_NE(logs().find("N+1 statements"), std::string::npos);
  EXPECT_EQ(registry_.counter("utxoiq_db_n_plus_one_total", "").get().value(), 1.0);
}

TEST_F(QueryInsightTest, InterleavedRequestsAreCountedEachOnItsOwn) {
  // Both requests are in flight at once on the one I/O thread, their statements interleaved:
  // 7 and 3 are 10 together, but each request is counted alone.
  auto a = std::async(std::launch::async, [&] {
    HttpClient client(server_->bound_port());
    return client.get("/test/repeat?n=7&pause_ms=15", {{"X-Request-Id", "req-a"}}).status;
  });
  auto b = std::async(std::launch::async, [&] {
    HttpClient client(server_->bound_port());
    return client.get("/test/repeat?n=3&pause_ms=20", {{"X-Request-Id", "req-b"}}).status;
  });
  ASSERT_EQ(a.get(), 200);
  ASSERT_EQ(b.get(), 200);
  const auto body = queries_when([](const auto&) { return true; });
  const auto& reports = body.at("n_plus_one").as_array();
  ASSERT_EQ(reports.size(), 1u) << boost::json::serialize(body);
  EXPECT_EQ(reports.at(0).at("request_id").as_string(), "req-a");
  EXPECT_EQ(reports.at(0).at("count").to_number<int>(), 7);
}

TEST_F(QueryInsightTest, RequestsInTurnOnOneConnectionAreCountedEachOnItsOwn) {
  // One keep-alive connection: 4 + 4 statements stay under the threshold of 5 each (8 would be
  // over it if the connection's context kept the last request's counts); the third request's 5
  // are reported as its own.
  HttpClient client(server_->bound_port());
  ASSERT_EQ(client.get("/test/repeat?n=4&pause_ms=0", {{"X-Request-Id", "req-c1"}}).status, 200);
  ASSERT_EQ(client.get("/test/repeat?n=4&pause_ms=0", {{"X-Request-Id", "req-c2"}}).status, 200);
  ASSERT_EQ(client.get("/test/repeat?n=5&pause_ms=0", {{"X-Request-Id", "req-c3"}}).status, 200);
  const auto body = queries_when([](const auto&) { return true; });
  const auto& reports = body.at("n_plus_one").as_array();
  ASSERT_EQ(reports.size(), 1u) << boost::json::serialize(body);
  EXPECT_EQ(reports.at(0).at("request_id").as_string(), "req-c3");
  EXPECT_EQ(reports.at(0).at("count").to_number<int>(), 5);
}

}  // namespace
}  // namespace utxoiq
