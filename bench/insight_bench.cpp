// Micro benchmarks of query insight (issue 11), the per-statement and per-request costs it adds:
//  - QueryInsight::observe of a hot statement (fingerprint cached): stats, sketch, histogram;
//  - a request's rest run directly, and through run_in_request_scope (the co_spawn on the
//    wrapping executor the request scope middleware used to add to every request), on an
//    io_context;
//  - the request scope middleware itself, on a connection whose context is installed (what the
//    server does now: the middleware only fills the connection's context in) and without one
//    (its fallback: run_in_request_scope).
//   build/release/bench/insight_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>

#include "http/request.hpp"
#include "http/request_scope.hpp"
#include "http/response.hpp"
#include "obs/logging.hpp"
#include "obs/metrics.hpp"
#include "pg/query_insight.hpp"

namespace {

namespace asio = boost::asio;
using namespace utxoiq;

void BM_ObserveHotStatement(benchmark::State& state) {
  asio::io_context io;
  obs::Registry registry;
  pg::QueryInsight insight(io.get_executor(), {}, registry);
  const pg::Params params{std::string("insight-1")};
  pg::QueryEvent event;
  event.sql = "SELECT total_ratings, rating_sum FROM feedback_stats WHERE insight_id = $1";
  event.duration = std::chrono::microseconds(300);
  event.params = &params;
  event.rows = 1;
  event.tag = {"feedback", "stats", pg::StatementAccess::read};
  obs::RequestContext request;
  request.request_id = "req";
  request.route = "feedback_stats";
  obs::RequestContextScope scope(&request);
  for (auto _ : state) insight.observe(event);
}
BENCHMARK(BM_ObserveHotStatement);

Task<http::Response> answer() {
  co_return http::Response{};
}

Task<void> direct(int n) {
  for (int i = 0; i < n; ++i) {
    auto response = co_await answer();
    benchmark::DoNotOptimize(response);
  }
}

Task<void> scoped(int n) {
  for (int i = 0; i < n; ++i) {
    auto context = std::make_shared<obs::RequestContext>();
    auto rest = answer();
    auto run = http::run_in_request_scope(context, std::move(rest));
    auto response = co_await std::move(run);
    benchmark::DoNotOptimize(response);
  }
}

void BM_RequestDirect(benchmark::State& state) {
  asio::io_context io;
  for (auto _ : state) {
    asio::co_spawn(io, direct(1000), asio::detached);
    io.run();
    io.restart();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_RequestDirect);

void BM_RequestInScope(benchmark::State& state) {
  asio::io_context io;
  for (auto _ : state) {
    asio::co_spawn(io, scoped(1000), asio::detached);
    io.run();
    io.restart();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_RequestInScope);

Task<void> through_middleware(int n) {
  const http::Middleware middleware = http::request_scope_middleware(nullptr);
  const http::Next next = [](http::Request&) { return answer(); };
  http::Request request;
  request.request_id = "0123456789abcdef0123456789abcdef";
  request.route_name = "feedback_stats";
  for (int i = 0; i < n; ++i) {
    auto run = middleware(request, next);
    auto response = co_await std::move(run);
    benchmark::DoNotOptimize(response);
  }
}

void run_through_middleware(benchmark::State& state, obs::RequestContext* connection) {
  asio::io_context io;
  // Installed around the whole run, as the server's connection executor does around each
  // resumption of the connection's code.
  obs::RequestContextScope scope(connection);
  for (auto _ : state) {
    asio::co_spawn(io, through_middleware(1000), asio::detached);
    io.run();
    io.restart();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}

void BM_MiddlewareOnConnection(benchmark::State& state) {
  obs::RequestContext connection;
  connection.active = false;
  run_through_middleware(state, &connection);
}
BENCHMARK(BM_MiddlewareOnConnection);

void BM_MiddlewareWithoutConnection(benchmark::State& state) {
  run_through_middleware(state, nullptr);
}
BENCHMARK(BM_MiddlewareWithoutConnection);

}  // namespace
