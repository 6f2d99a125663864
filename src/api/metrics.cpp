// Handlers of the metric routes (see metrics.hpp).
#include "api/metrics.hpp"

#include <boost/json.hpp>
#include <boost/json/monotonic_resource.hpp>

#include "api/idempotency_key.hpp"
#include "api/metric_bodies.hpp"
#include "domain/metric.hpp"
#include "domain/metric_queries.hpp"
#include "http/json_body.hpp"
#include "http/problem.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "store/metric_store.hpp"
#include "util/json_text.hpp"

namespace utxoiq::api {

namespace {

constexpr std::string_view kMetricsPath = "/api/v1/monitoring/metrics";
constexpr std::size_t kBatchBodyLimit = 16 * 1024 * 1024;  // api.md: /metrics/batch 16 MiB

// A response whose JSON body is already text.
http::Response stored_json(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.content_type = http::kJsonContentType;
  response.body = std::move(body);
  return response;
}

// Writes `records`, or answers as the first request with this Idempotency-Key was answered.
Task<http::Response> write(store::MetricWriter& writer, const http::Request& request,
                           std::string_view route, const std::optional<std::string>& key,
                           std::vector<domain::MetricRecord> records, std::string answer) {
  std::optional<store::IdempotencyClaim> claim;
  if (key) {
    claim = store::IdempotencyClaim{idempotency_scope(request), *key,
                                    idempotency_fingerprint(route, request.body), 201, answer};
  }
  const auto outcome = co_await writer.insert(records, claim);
  if (outcome.replay) {
    if (outcome.replay->request_sha256 != claim->request_sha256) {
      throw http::unprocessable(
          std::string(kIdempotencyKeyHeader),
          "was already used with a different request in the last 24 hours; use a new key");
    }
    auto response = stored_json(outcome.replay->status, outcome.replay->response_body);
    response.headers.set("Idempotent-Replayed", "true");
    co_return response;
  }
  co_return stored_json(201, std::move(answer));
}

void throw_if_invalid(FieldErrors errors, const FieldErrors& more) {
  errors.insert(errors.end(), more.begin(), more.end());
  if (!errors.empty()) throw http::unprocessable(std::move(errors));
}

}  // namespace

void add_metric_routes(http::Router& router, MetricBodies& bodies, store::MetricWriter& writer) {
  router.post(kMetricsPath,
              [&writer](http::Request& request) -> Task<http::Response> {
                FieldErrors errors;
                const auto key = read_idempotency_key(request, errors);
                const auto body = http::parse_json_object(request);
                auto parsed = domain::parse_metric(body, now_utc());
                throw_if_invalid(std::move(errors), parsed.errors());
                std::vector<domain::MetricRecord> records;
                records.push_back({new_uuid_v7(), std::move(parsed).value()});
                auto answer = to_json_text(domain::to_json(records.front()));
                co_return co_await write(writer, request, "metrics_create", key, std::move(records),
                                         std::move(answer));
              },
              {.name = "metrics_create", .min_role = http::Role::writer});

  router.post(
      std::string(kMetricsPath) + "/batch",
      [&writer](http::Request& request) -> Task<http::Response> {
        FieldErrors errors;
        const auto key = read_idempotency_key(request, errors);
        // Up to 16 MiB of JSON: parsed into an arena dropped with the request, which halves the
        // parse time (bench/metric_ingest_bench). Shared ownership: the metadata objects copied
        // into the records keep the arena alive as long as they live.
        const auto body = http::parse_json_object(
            request, boost::json::make_shared_resource<boost::json::monotonic_resource>());
        auto parsed = domain::parse_metric_batch(body, now_utc());
        throw_if_invalid(std::move(errors), parsed.errors());
        auto metrics = std::move(parsed).value();
        std::vector<domain::MetricRecord> records;
        records.reserve(metrics.size());
        for (auto& metric : metrics) records.push_back({new_uuid_v7(), std::move(metric)});
        auto answer = to_json_text(
            boost::json::object{{"inserted", static_cast<std::int64_t>(records.size())}});
        co_return co_await write(writer, request, "metrics_batch", key, std::move(records),
                                 std::move(answer));
      },
      {.name = "metrics_batch", .body_limit = kBatchBodyLimit, .min_role = http::Role::writer});

  router.get(kMetricsPath,
             [&bodies](http::Request& request) -> Task<http::Response> {
               auto query = domain::parse_metric_range_query(request.query_params, now_utc());
               if (!query) throw http::unprocessable(std::move(query).errors());
               co_return stored_json(200, co_await bodies.range(query.value()));
             },
             {.name = "metrics_range", .min_role = http::Role::reader});

  router.get(std::string(kMetricsPath) + "/aggregate",
             [&bodies](http::Request& request) -> Task<http::Response> {
               auto query = domain::parse_metric_aggregate_query(request.query_params, now_utc());
               if (!query) throw http::unprocessable(std::move(query).errors());
               co_return stored_json(200, co_await bodies.aggregate(query.value()));
             },
             {.name = "metrics_aggregate", .min_role = http::Role::reader});

  router.get(std::string(kMetricsPath) + "/series",
             [&bodies](http::Request&) -> Task<http::Response> {
               co_return stored_json(200, co_await bodies.series());
             },
             {.name = "metrics_series", .min_role = http::Role::reader});
}

}  // namespace utxoiq::api
