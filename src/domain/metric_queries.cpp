// Validation of the metric query parameters.
#include "domain/metric_queries.hpp"

#include <algorithm>

#include "domain/json_out.hpp"
#include "domain/metric.hpp"
#include "domain/query_fields.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::domain {

namespace {

struct GivenBounds {
  bool start = false;
  bool end = false;
};

// Resolves start/end with their defaults and checks their order; `range` is the default length.
// Returns which of the two the request gave.
GivenBounds read_range(QueryFields& fields, Timestamp now,
                       std::optional<std::chrono::microseconds> range, Timestamp& start,
                       Timestamp& end) {
  const auto given_start = fields.timestamp("start", Presence::optional);
  const auto given_end = fields.timestamp("end", Presence::optional);
  const GivenBounds given{given_start.has_value(), given_end.has_value()};
  end = given_end.value_or(now);
  if (given_start) {
    start = *given_start;
  } else if (range) {
    // Kept within the representable range, like every timestamp the parsers produce.
    start = std::max(end - *range, kMinTimestamp);
  }
  if (fields.failed("start") || fields.failed("end") || (!given_start && !range)) return given;
  if (start > end) fields.fail("start", "must not be after end");
  return given;
}

}  // namespace

std::chrono::microseconds default_aggregate_range(BucketInterval interval) {
  switch (interval) {
    case BucketInterval::hour:
      return std::chrono::hours{24};
    case BucketInterval::day:
      return std::chrono::days{30};
    case BucketInterval::week:
      return std::chrono::weeks{12};
  }
  return std::chrono::hours{24};
}

Validated<MetricRangeQuery> parse_metric_range_query(const QueryParams& params, Timestamp now) {
  FieldErrors errors;
  QueryFields fields(params, errors);
  MetricRangeQuery query;
  auto service = fields.text("service_name", Presence::required, kServiceNameRule);
  query.metric_type = fields.text("metric_type", Presence::optional, kMetricTypeRule);
  const GivenBounds given = read_range(fields, now, kDefaultMetricRange, query.start, query.end);
  if (!fields.failed("start") && !fields.failed("end") &&
      query.end - query.start > kMaxMetricRange) {
    fields.fail("start", "must be at most 31 days before end");
  }
  query.page = read_page(fields, CursorKind::metrics, kDefaultMetricLimit, kMaxMetricLimit);
  if (!errors.empty()) return errors;
  query.service_name = std::move(*service);
  query.recent = !given.start && !given.end && !query.page.after &&
                 query.page.limit == kDefaultMetricLimit && query.metric_type.has_value();
  return query;
}

Validated<MetricAggregateQuery> parse_metric_aggregate_query(const QueryParams& params,
                                                             Timestamp now) {
  FieldErrors errors;
  QueryFields fields(params, errors);
  MetricAggregateQuery query;
  auto service = fields.text("service_name", Presence::required, kServiceNameRule);
  auto type = fields.text("metric_type", Presence::required, kMetricTypeRule);
  std::optional<BucketInterval> interval;
  if (const auto text = fields.raw("interval", Presence::required)) {
    interval = parse_bucket_interval(*text);
    if (!interval) fields.fail("interval", "must be one of hour, day, week");
  }
  std::optional<std::chrono::microseconds> range;
  if (interval) range = default_aggregate_range(*interval);
  const GivenBounds given = read_range(fields, now, range, query.start, query.end);
  if (!errors.empty()) return errors;
  query.service_name = std::move(*service);
  query.metric_type = std::move(*type);
  query.interval = *interval;
  query.fixed_range = given.start && given.end;
  return query;
}

Validated<MetricSeriesQuery> parse_metric_series_query(const QueryParams& params) {
  FieldErrors errors;
  QueryFields fields(params, errors);
  MetricSeriesQuery query;
  query.limit =
      fields.integer("limit", Presence::optional, 1, kMaxPageLimit).value_or(kDefaultPageLimit);
  query.after = fields.series_cursor("cursor");
  if (!errors.empty()) return errors;
  return query;
}

boost::json::object to_json(const MetricBucket& bucket) {
  boost::json::object o;
  o.reserve(6);
  o.emplace("bucket_start", json_timestamp(bucket.bucket_start));
  o.emplace("count", bucket.count);
  o.emplace("sum", bucket.sum);
  o.emplace("avg", bucket.avg);
  o.emplace("min", bucket.min);
  o.emplace("max", bucket.max);
  return o;
}

boost::json::object to_json(const MetricSeries& series) {
  boost::json::object o;
  o.reserve(4);
  o.emplace("service_name", series.service_name);
  o.emplace("metric_type", series.metric_type);
  o.emplace("unit", series.unit);
  o.emplace("last_timestamp", json_timestamp(series.last_timestamp));
  return o;
}

}  // namespace utxoiq::domain
