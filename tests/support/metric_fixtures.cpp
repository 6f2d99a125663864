// Metric test helpers (see metric_fixtures.hpp).
#include "support/metric_fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <sstream>

#include "pg/blocking_connection.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::testing {

std::string iso(Timestamp t) {
  return format_rfc3339(t);
}

boost::json::object metric_json(const Point& point) {
  return boost::json::object{{"service_name", point.service_name},
                             {"metric_type", point.metric_type},
                             {"metric_value", point.value},
                             {"unit", point.unit},
                             {"timestamp", iso(point.at)}};
}

boost::json::object batch_json(const std::vector<Point>& points) {
  boost::json::array metrics;
  for (const auto& point : points) metrics.push_back(metric_json(point));
  return boost::json::object{{"metrics", std::move(metrics)}};
}

Timestamp monday_weeks_ago(int weeks_back) {
  using namespace std::chrono;
  const sys_days day = floor<days>(now_utc() - weeks{weeks_back});
  return Timestamp{day - days{weekday{day}.iso_encoding() - 1}};
}

double exposition_value(const std::string& exposition, const std::string& name) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return 0;
}

void post_batch(HttpClient& client, const std::vector<Point>& points) {
  const auto response =
      client.post("/api/v1/monitoring/metrics/batch", boost::json::value(batch_json(points)));
  ASSERT_EQ(response.status, 201) << response.body;
}

}  // namespace utxoiq::testing
