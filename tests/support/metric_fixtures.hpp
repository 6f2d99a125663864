#pragma once
// Helpers shared by the metric integration tests: points as request JSON, fixed time anchors
// computed relative to now (metric timestamps must lie within [now - 365 days, now + 5 minutes]),
// and small SQL probes of the test database.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/http_client.hpp"
#include "support/sql_probe.hpp"
#include "util/time.hpp"

namespace utxoiq::testing {

struct Point {
  std::string service_name;
  std::string metric_type;
  double value = 0;
  Timestamp at{};
  std::string unit = "ms";
};

// "2026-11-22T01:00:00.000000Z"
std::string iso(Timestamp t);

boost::json::object metric_json(const Point& point);
// {"metrics": [...]}
boost::json::object batch_json(const std::vector<Point>& points);

// Monday 00:00 UTC of the ISO week that contains now - `weeks_back` weeks.
Timestamp monday_weeks_ago(int weeks_back);

// The value of an unlabelled counter or gauge in a Prometheus exposition (0 when absent).
double exposition_value(const std::string& exposition, const std::string& name);

// POSTs `points` as one batch and fails the test unless it is answered 201.
void post_batch(HttpClient& client, const std::vector<Point>& points);

}  // namespace utxoiq::testing
