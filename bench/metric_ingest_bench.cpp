// Micro benchmark of the service's CPU work per metric batch (bench/ingest.sh measures the whole
// path): parsing a 10,000-point body, validating it, making the records, the rollups, and the
// COPY text. Run: build/release/bench/metric_ingest_bench (or the binary next to it).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <chrono>

#include "domain/metric.hpp"
#include "http/json_body.hpp"
#include "http/request.hpp"
#include "store/internal/metric_copy_text.hpp"
#include "store/internal/metric_rollups.hpp"
#include "util/rfc3339.hpp"

namespace {

using namespace utxoiq;

std::string batch_body(int points) {
  boost::json::array metrics;
  const Timestamp now = now_utc();
  for (int i = 0; i < points; ++i) {
    metrics.push_back(boost::json::object{
        {"service_name", "bench-svc-" + std::to_string(i % 5)},
        {"metric_type", "metric." + std::to_string(i % 10)},
        {"metric_value", 0.001 * i},
        {"unit", "ms"},
        {"timestamp", format_rfc3339(now - std::chrono::milliseconds(60'000 + i * 293))},
        {"metadata", {{"host", "node-" + std::to_string(i % 32)}, {"region", "eu-west"}}}});
  }
  return boost::json::serialize(boost::json::object{{"metrics", std::move(metrics)}});
}

const std::string& body() {
  static const std::string b = batch_body(10'000);
  return b;
}

// The handler's way: the body parsed into a monotonic arena (shared ownership, so nothing made
// from it can outlive it) that is dropped with the request.
boost::json::object parse_in_arena(const http::Request& request) {
  return http::parse_json_object(
      request, boost::json::make_shared_resource<boost::json::monotonic_resource>());
}

void ParseJsonDefaultAllocator(benchmark::State& state) {
  const auto request = http::make_request(http::Method::post, "/", body());
  for (auto _ : state) benchmark::DoNotOptimize(http::parse_json_object(request));
}
BENCHMARK(ParseJsonDefaultAllocator)->Unit(benchmark::kMillisecond);

void ParseJsonArena(benchmark::State& state) {
  const auto request = http::make_request(http::Method::post, "/", body());
  for (auto _ : state) benchmark::DoNotOptimize(parse_in_arena(request));
}
BENCHMARK(ParseJsonArena)->Unit(benchmark::kMillisecond);

void ParseAndValidateDefaultAllocator(benchmark::State& state) {
  const auto request = http::make_request(http::Method::post, "/", body());
  for (auto _ : state) {
    const auto object = http::parse_json_object(request);
    benchmark::DoNotOptimize(domain::parse_metric_batch(object, now_utc()));
  }
}
BENCHMARK(ParseAndValidateDefaultAllocator)->Unit(benchmark::kMillisecond);

void ParseAndValidateArena(benchmark::State& state) {
  const auto request = http::make_request(http::Method::post, "/", body());
  for (auto _ : state) {
    const auto object = parse_in_arena(request);
    benchmark::DoNotOptimize(domain::parse_metric_batch(object, now_utc()));
  }
}
BENCHMARK(ParseAndValidateArena)->Unit(benchmark::kMillisecond);

// Everything the handler and the writer compute before the COPY goes out.
void WholeBatchPreparation(benchmark::State& state) {
  const auto request = http::make_request(http::Method::post, "/", body());
  for (auto _ : state) {
    const auto object = parse_in_arena(request);
    auto metrics = std::move(domain::parse_metric_batch(object, now_utc())).value();
    std::vector<domain::MetricRecord> records;
    records.reserve(metrics.size());
    for (auto& m : metrics) records.push_back({new_uuid_v7(), std::move(m)});
    benchmark::DoNotOptimize(store::compute_hourly_rollups(records));
    benchmark::DoNotOptimize(store::compute_series_latest(records));
    std::string copy;
    store::append_copy_text(records, copy);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(WholeBatchPreparation)->Unit(benchmark::kMillisecond);

}  // namespace
