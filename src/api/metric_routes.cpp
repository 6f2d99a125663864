// The metric routes (see metric_routes.hpp), declared in one table: method, path, role,
// documentation and handler of each. A write honours Idempotency-Key (idempotency_key.hpp).
#include "api/metric_routes.hpp"

#include <boost/json.hpp>
#include <boost/json/monotonic_resource.hpp>

#include "api/cached_metrics.hpp"
#include "api/idempotency_key.hpp"
#include "api/request_values.hpp"
#include "api/route_table.hpp"
#include "api/schema.hpp"
#include "domain/metric.hpp"
#include "domain/metric_queries.hpp"
#include "http/json_body.hpp"
#include "http/response.hpp"
#include "store/metric_store.hpp"
#include "util/json_text.hpp"

namespace utxoiq::api {

namespace {

namespace json = boost::json;

constexpr std::string_view kMetricsPath = "/api/v1/monitoring/metrics";
constexpr std::size_t kBatchBodyLimit = 16 * 1024 * 1024;  // api.md: /metrics/batch 16 MiB

std::string path(std::string_view rest) {
  return std::string(kMetricsPath) + std::string(rest);
}

// Each metric with a new id.
std::vector<domain::MetricRecord> records_of(std::vector<domain::Metric> metrics) {
  std::vector<domain::MetricRecord> records;
  records.reserve(metrics.size());
  for (auto& metric : metrics) records.push_back({new_uuid_v7(), std::move(metric)});
  return records;
}

// Writes `records` and answers `answer` (201), or answers as the first request with this
// Idempotency-Key was answered.
Task<Response> write(store::MetricWriter& writer, const Request& request, std::string_view route,
                     const std::optional<std::string>& key,
                     const std::vector<domain::MetricRecord>& records, std::string answer) {
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
    auto response = http::json_text_response(outcome.replay->status, outcome.replay->response_body);
    response.headers.set("Idempotent-Replayed", "true");
    co_return response;
  }
  co_return http::json_text_response(201, std::move(answer));
}

Task<Response> create(store::MetricWriter& writer, Request& request) {
  auto key = read_idempotency_key(request);
  auto metric = domain::parse_metric(http::parse_json_object(request), now_utc());
  all_valid_or_422(key, metric);
  std::vector<domain::Metric> metrics;
  metrics.push_back(std::move(metric).value());
  const auto records = records_of(std::move(metrics));
  co_return co_await write(writer, request, "metrics_create", key.value(), records,
                           to_json_text(domain::to_json(records.front())));
}

Task<Response> create_batch(store::MetricWriter& writer, Request& request) {
  // Up to 16 MiB of JSON: parsed into an arena dropped with the request, which halves the parse
  // time (bench/metric_ingest_bench). Shared ownership: the metadata objects copied into the
  // records keep the arena alive as long as they live.
  const auto body =
      http::parse_json_object(request, json::make_shared_resource<json::monotonic_resource>());
  auto key = read_idempotency_key(request);
  auto metrics = domain::parse_metric_batch(body, now_utc());
  all_valid_or_422(key, metrics);
  const auto records = records_of(std::move(metrics).value());
  // Built before the co_await: GCC 12 miscompiles an initializer list inside one.
  auto answer = to_json_text(json::object{{"inserted", static_cast<std::int64_t>(records.size())}});
  co_return co_await write(writer, request, "metrics_batch", key.value(), records,
                           std::move(answer));
}

void add_schemas(ApiDocs& docs) {
  const auto time = schema::formatted("date-time");
  json::object metric{
      {"service_name", schema::text(domain::kServiceNameRule)},
      {"metric_type", schema::text(domain::kMetricTypeRule)},
      {"metric_value", schema::number()},
      {"unit", schema::text(domain::kUnitRule)},
      {"timestamp", time},
      {"metadata",
       schema::nullable({{"type", "object"},
                         {"description", "At most " + std::to_string(domain::kMaxMetadataBytes) +
                                             " bytes serialized"}})}};
  auto request = schema::object({"service_name", "metric_type", "metric_value", "unit"}, metric);
  request["description"] =
      "timestamp defaults to now; within the last " +
      std::to_string(std::chrono::duration_cast<std::chrono::days>(domain::kMaxMetricAge).count()) +
      " days and at most " +
      std::to_string(
          std::chrono::duration_cast<std::chrono::minutes>(domain::kMaxMetricFuture).count()) +
      " minutes ahead.";
  docs.add_schema("MetricInput", std::move(request));
  metric["id"] = schema::formatted("uuid");
  docs.add_schema("Metric", schema::object({"id", "service_name", "metric_type", "metric_value",
                                            "unit", "timestamp", "metadata"},
                                           std::move(metric)));
  const auto number = schema::number();
  docs.add_schema(
      "MetricAggregate",
      schema::object({"service_name", "metric_type", "interval", "buckets"},
                     {{"service_name", schema::string()},
                      {"metric_type", schema::string()},
                      {"interval", schema::enum_of({"hour", "day", "week"})},
                      {"buckets", schema::array_of(schema::object(
                                      {"bucket_start", "count", "sum", "avg", "min", "max"},
                                      {{"bucket_start", time},
                                       {"count", schema::integer(0)},
                                       {"sum", number},
                                       {"avg", number},
                                       {"min", number},
                                       {"max", number}}))}}));
  docs.add_schema("MetricSeries",
                  schema::object({"service_name", "metric_type", "unit", "last_timestamp"},
                                 {{"service_name", schema::text(domain::kServiceNameRule)},
                                  {"metric_type", schema::text(domain::kMetricTypeRule)},
                                  {"unit", schema::text(domain::kUnitRule)},
                                  {"last_timestamp", time}}));
}

json::object metric_example() {
  return {{"service_name", "api"},
          {"metric_type", "latency_ms"},
          {"metric_value", 12.5},
          {"unit", "ms"}};
}

std::vector<ParamDoc> series_params(bool type_required) {
  return {{.name = "service_name",
           .schema = schema::text(domain::kServiceNameRule),
           .required = true,
           .example = "api"},
          {.name = "metric_type",
           .schema = schema::text(domain::kMetricTypeRule),
           .required = type_required,
           .example = "latency_ms"}};
}

std::vector<ParamDoc> range_params(std::vector<ParamDoc> params, std::string end_default) {
  const auto time = schema::formatted("date-time");
  params.push_back({.name = "start", .schema = time, .description = "Included; " + end_default});
  params.push_back({.name = "end", .schema = time, .description = "Excluded; default now"});
  return params;
}

std::vector<ParamDoc> idempotency_header() {
  return {{.name = std::string(kIdempotencyKeyHeader),
           .schema = schema::text({1, kMaxIdempotencyKeyLength, domain::Charset::any}),
           .description = "A retry with the same key and body gets the first answer (with "
                          "Idempotent-Replayed: true) for 24 hours; another body gets 422."}};
}

// A read of CachedMetrics: the query validated by `parse`, the body from `read`.
template <typename Query>
http::Handler read_handler(CachedMetrics& reads,
                           domain::Validated<Query> (*parse)(const domain::QueryParams&, Timestamp),
                           Task<std::string> (CachedMetrics::*read)(const Query&)) {
  return [&reads, parse, read](Request& request) -> Task<Response> {
    const Query query = valid_or_422(parse(query_of(request), now_utc()));
    co_return http::json_text_response(200, co_await (reads.*read)(query));
  };
}

std::vector<RouteSpec> metric_table(MetricRoutesDeps deps) {
  const auto max_range_days =
      std::chrono::duration_cast<std::chrono::days>(domain::kMaxMetricRange).count();
  auto range_query = with_paging(range_params(series_params(false), "default end - 1 hour"),
                                 domain::kDefaultMetricLimit, domain::kMaxMetricLimit);
  auto aggregate_query =
      range_params(series_params(true), "default end - 24 hours (hour), 30 days (day), 12 weeks");
  aggregate_query.push_back({.name = "interval",
                             .schema = schema::enum_of({"hour", "day", "week"}),
                             .required = true,
                             .example = "hour"});
  return {
      {.method = Method::post,
       .path = std::string(kMetricsPath),
       .name = "metrics_create",
       .access = kWriters,
       .doc =
           {.summary = "Record one metric point",
            .headers = idempotency_header(),
            .request = schema::ref("MetricInput"),
            .request_example = metric_example(),
            .replies = {{.status = 201, .description = "Created", .schema = schema::ref("Metric")}},
            .problems = {422}},
       .handler = [&writer = deps.writer](Request& request) { return create(writer, request); }},
      {.method = Method::post,
       .path = path("/batch"),
       .name = "metrics_batch",
       .access = kWriters,
       .body_limit = kBatchBodyLimit,
       .doc = {.summary = "Record a batch of metric points, all or nothing",
               .headers = idempotency_header(),
               .request = schema::object(
                   {"metrics"}, {{"metrics", schema::array_of(schema::ref("MetricInput"), 1,
                                                              domain::kMaxMetricBatch)}}),
               .request_example = {{"metrics", json::array{metric_example()}}},
               .replies = {{.status = 201,
                            .description = "Created",
                            .schema =
                                schema::object({"inserted"}, {{"inserted", schema::integer(1)}})}},
               .problems = {422}},
       .handler = [&writer =
                       deps.writer](Request& request) { return create_batch(writer, request); }},
      {.method = Method::get,
       .path = std::string(kMetricsPath),
       .name = "metrics_range",
       .access = kReaders,
       .doc = {.summary = "Points of a service (one series with metric_type), oldest first",
               .description = "At most " + std::to_string(max_range_days) +
                              " days between start "
                              "and end.",
               .query = std::move(range_query),
               .replies = {{.schema = schema::page("metrics", schema::ref("Metric"))}},
               .problems = {422}},
       .handler =
           read_handler(deps.reads, domain::parse_metric_range_query, &CachedMetrics::range_json)},
      {.method = Method::get,
       .path = path("/aggregate"),
       .name = "metrics_aggregate",
       .access = kReaders,
       .doc = {.summary = "Count, sum, avg, min and max of a series per UTC hour, day or week",
               .query = std::move(aggregate_query),
               .replies = {{.schema = schema::ref("MetricAggregate")}},
               .problems = {422}},
       .handler = read_handler(deps.reads, domain::parse_metric_aggregate_query,
                               &CachedMetrics::aggregate_json)},
      {.method = Method::get,
       .path = path("/series"),
       .name = "metrics_series",
       .access = kReaders,
       .doc = {.summary = "The series written, with the unit and last point's time of each, "
                          "ordered by service_name then metric_type",
               .query = with_paging({}),
               .replies = {{.schema = schema::page("series", schema::ref("MetricSeries"))}},
               .problems = {422}},
       .handler = [&reads = deps.reads](Request& request) -> Task<Response> {
         const auto query = valid_or_422(domain::parse_metric_series_query(query_of(request)));
         co_return http::json_text_response(200, co_await reads.series_json(query));
       }},
  };
}

}  // namespace

void add_metric_routes(http::Router& router, MetricRoutesDeps deps, ApiDocs& docs) {
  add_schemas(docs);
  add_routes(router, docs, metric_table(deps));
}

}  // namespace utxoiq::api
