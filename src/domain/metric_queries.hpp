#pragma once
// The query parameters of the metric reads (api.md, "Metrics") and their validation, and the JSON
// forms of their results. Time ranges include start and exclude end.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "domain/buckets.hpp"
#include "domain/page.hpp"
#include "domain/query_params.hpp"
#include "domain/series_cursor.hpp"
#include "domain/validated.hpp"
#include "util/time.hpp"

namespace utxoiq::domain {

inline constexpr std::int64_t kDefaultMetricLimit = 1'000;
inline constexpr std::int64_t kMaxMetricLimit = 10'000;
inline constexpr std::chrono::microseconds kDefaultMetricRange = std::chrono::hours{1};
inline constexpr std::chrono::microseconds kMaxMetricRange = std::chrono::days{31};

// GET /api/v1/monitoring/metrics?service_name=S&metric_type=&start=&end=&limit=&cursor=
struct MetricRangeQuery {
  std::string service_name;
  std::optional<std::string> metric_type;
  Timestamp start{};  // default end − 1 h
  Timestamp end{};    // default now
  PageRequest page;   // limit 1–10,000 (default 1,000), cursor kind metrics; oldest first
  // The "recent metrics" of seed 002: one series (metric_type given), the default window (the last
  // hour: no start, end or cursor) and the default limit. What the recent_metrics cache keeps.
  bool recent = false;
};
// service_name required; start after end -> 422 on start; end − start more than 31 days -> 422 on
// start.
Validated<MetricRangeQuery> parse_metric_range_query(const QueryParams& params, Timestamp now);

// GET /api/v1/monitoring/metrics/aggregate?service_name=S&metric_type=T&interval=hour|day|week
//     &start=&end=
struct MetricAggregateQuery {
  std::string service_name;
  std::string metric_type;
  BucketInterval interval = BucketInterval::hour;
  Timestamp start{};  // default end − 24 h (hour), 30 days (day), 12 weeks (week)
  Timestamp end{};    // default now
  // Both start and end given: the answer changes only when points in the range are written (not
  // with the clock), so the aggregated_metrics cache may keep it.
  bool fixed_range = false;
};
// service_name, metric_type and interval required; start after end -> 422 on start.
Validated<MetricAggregateQuery> parse_metric_aggregate_query(const QueryParams& params,
                                                             Timestamp now);

// The default length of an aggregate range: 24 h, 30 days, 12 weeks.
std::chrono::microseconds default_aggregate_range(BucketInterval interval);

// {bucket_start, count, sum, avg, min, max}
boost::json::object to_json(const MetricBucket& bucket);

// GET /api/v1/monitoring/metrics/series?limit=&cursor=
// A keyset page by (service_name, metric_type): the list grows with every new series a writer
// makes (10,000 per batch), so it is paged like every other list (issue 10).
struct MetricSeriesQuery {
  std::int64_t limit = kDefaultPageLimit;  // 1..kMaxPageLimit (50, 500)
  std::optional<SeriesCursor> after;       // the key of the previous page's last series
};
Validated<MetricSeriesQuery> parse_metric_series_query(const QueryParams& params);

// One item of GET /metrics/series.
struct MetricSeries {
  std::string service_name;
  std::string metric_type;
  std::string unit;
  Timestamp last_timestamp{};
  bool operator==(const MetricSeries&) const = default;
};
// {service_name, metric_type, unit, last_timestamp}
boost::json::object to_json(const MetricSeries& series);

}  // namespace utxoiq::domain
