#pragma once
// System metrics (api.md, "Metrics"): the value type, its validation for POST /metrics and
// /metrics/batch, and its JSON form.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "domain/text_rule.hpp"
#include "domain/validated.hpp"
#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {

inline constexpr TextRule kServiceNameRule{1, 100, Charset::metric_name};
inline constexpr TextRule kMetricTypeRule{1, 50, Charset::metric_name};
inline constexpr TextRule kUnitRule{1, 20, Charset::any};
inline constexpr std::size_t kMaxMetadataBytes = 8 * 1024;
inline constexpr std::size_t kMaxMetricBatch = 10'000;
inline constexpr std::chrono::microseconds kMaxMetricFuture = std::chrono::minutes{5};
inline constexpr std::chrono::microseconds kMaxMetricAge = std::chrono::days{365};

struct Metric {
  std::string service_name;
  std::string metric_type;
  double metric_value = 0;
  std::string unit;
  Timestamp timestamp{};  // the request's, or `now` when it gave none
  std::optional<boost::json::object> metadata;

  bool operator==(const Metric&) const = default;
};

// A stored metric: what the range query returns.
struct MetricRecord {
  Uuid id;
  Metric metric;
  bool operator==(const MetricRecord&) const = default;
};

// service_name 1–100 and metric_type 1–50 of [A-Za-z0-9_.:-]; metric_value a finite JSON number;
// unit 1–20 characters; timestamp optional (default `now`), RFC 3339 with an offset, within
// [now − 365 days, now + 5 minutes]; metadata optional (null = absent), a JSON object whose
// serialized size is at most 8 KiB and whose strings and keys hold no U+0000 (PostgreSQL's jsonb
// refuses it).
Validated<Metric> parse_metric(const boost::json::object& body, Timestamp now);

// {metrics: [...]}, 1–10,000 metrics, each as parse_metric; all or nothing. Errors name the
// element: "metrics[17].metric_value", or "metrics[17]" when it is not an object. When the array
// length is out of range only that is reported (elements are not examined).
Validated<std::vector<Metric>> parse_metric_batch(const boost::json::object& body, Timestamp now);

// {service_name, metric_type, metric_value, unit, timestamp, metadata}
boost::json::object to_json(const Metric& metric);
// {id, service_name, metric_type, metric_value, unit, timestamp, metadata}
boost::json::object to_json(const MetricRecord& record);

// The serialized size of `object`, counting at most up to `limit` + 1 (it stops early, so a huge
// object costs no more than the limit).
std::size_t serialized_size_up_to(const boost::json::object& object, std::size_t limit);

}  // namespace utxoiq::domain
