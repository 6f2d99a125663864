// Writing metrics through the API (api.md, "Metrics"; requirement 3.1), against the real
// PostgreSQL: POST /metrics (one point) and /metrics/batch (1-10,000, all or nothing, every
// invalid metric named by its index), body limits, and what a write keeps in step with the points:
// the hourly rollups and the series catalogue of GET /metrics/series.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "support/metric_fixtures.hpp"
#include "support/service_under_test.hpp"
#include "util/rfc3339.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;
using namespace std::string_view_literals;

constexpr const char* kSingle = "/api/v1/monitoring/metrics";
constexpr const char* kBatch = "/api/v1/monitoring/metrics/batch";
constexpr const char* kSeries = "/api/v1/monitoring/metrics/series";

class MetricsIngest : public ::testing::Test {
 protected:
  std::int64_t stored(const std::string& where = "true") {
    return sql_count(service_.database_url(), "SELECT count(*) FROM system_metrics WHERE " + where);
  }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
  Timestamp hour_ = std::chrono::floor<std::chrono::hours>(now_utc() - 3h);
};

TEST_F(MetricsIngest, OnePointIsStoredAndEchoedWithANewTimeOrderedId) {
  const auto response = client_.post(kSingle, R"({"service_name":"api-gateway","metric_type":
      "latency.p99","metric_value":12.5,"unit":"ms","timestamp":"2020-01-01T00:00:00Z"})"sv);
  // 2020 is outside the window: refused. Now a point inside it, with an offset and metadata.
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.error_fields(), std::vector<std::string>{"timestamp"});

  const Timestamp at = hour_ + 90s;
  // The same instant written as local time at +05:30.
  const std::string local = format_rfc3339(at + 5h + 30min).substr(0, 19);
  boost::json::object body{
      {"service_name", "api-gateway"}, {"metric_type", "latency.p99"},
      {"metric_value", 12.5},          {"unit", "ms"},
      {"timestamp", local + "+05:30"}, {"metadata", {{"region", "eu"}, {"path", "a\\b\t\"c\""}}}};
  const auto created = client_.post(kSingle, boost::json::value(body));
  ASSERT_EQ(created.status, 201) << created.body;
  const auto json = created.json().as_object();
  const auto id = Uuid::parse(json.at("id").as_string());
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->version(), 7);
  EXPECT_EQ(json.at("service_name").as_string(), "api-gateway");
  EXPECT_EQ(json.at("metric_type").as_string(), "latency.p99");
  EXPECT_EQ(json.at("metric_value").as_double(), 12.5);
  EXPECT_EQ(json.at("unit").as_string(), "ms");
  EXPECT_EQ(json.at("timestamp").as_string(), iso(at));
  EXPECT_EQ(json.at("metadata").as_object().at("path").as_string(), "a\\b\t\"c\"");

  const std::string row = "id = '" + id->to_string() + "'";
  EXPECT_EQ(stored(row), 1);
  EXPECT_EQ(sql_value(service_.database_url(),
                      "SELECT metadata->>'path' FROM system_metrics WHERE " + row),
            "a\\b\t\"c\"");
}

TEST_F(MetricsIngest, OnePointWithoutTimestampIsStampedNow) {
  const Timestamp before = now_utc();
  const auto created = client_.post(
      kSingle, R"({"service_name":"svc","metric_type":"cpu","metric_value":1,"unit":"%"})"sv);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto at = parse_rfc3339(created.json().at("timestamp").as_string());
  ASSERT_TRUE(at.has_value());
  EXPECT_GE(*at, before);
  EXPECT_LE(*at, now_utc());
  EXPECT_TRUE(created.json().at("metadata").is_null());
}

TEST_F(MetricsIngest, EveryInvalidFieldOfOnePointIsNamedAndNothingIsStored) {
  const auto response = client_.post(
      kSingle, R"({"service_name":"bad name","metric_value":"12","unit":"","metadata":[1]})"sv);
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response.error_fields(),
            (std::vector<std::string>{"service_name", "metric_type", "metric_value", "unit",
                                      "metadata"}));
  EXPECT_EQ(stored(), 0);
}

TEST_F(MetricsIngest, BodiesThatAreNotJsonObjectsAre400) {
  for (const char* body : {"", "null", "[]", "12", "{\"service_name\":", "\"text\""}) {
    EXPECT_EQ(client_.post(kSingle, std::string_view(body)).status, 400) << body;
    EXPECT_EQ(client_.post(kBatch, std::string_view(body)).status, 400) << body;
  }
  EXPECT_EQ(stored(), 0);
}

TEST_F(MetricsIngest, BatchInsertsEveryPointAndAnswersTheCount) {
  std::vector<Point> points;
  for (int i = 0; i < 2500; ++i) {
    points.push_back({"ingest", i % 2 ? "cpu" : "mem", i * 0.5, hour_ + i * 1ms});
  }
  const auto response = client_.post(kBatch, boost::json::value(batch_json(points)));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(response.body, R"({"inserted":2500})"sv);
  EXPECT_EQ(stored("service_name = 'ingest'"), 2500);
  EXPECT_EQ(sql_value(service_.database_url(),
                      "SELECT sum(metric_value) FROM system_metrics WHERE metric_type = 'cpu'"),
            "781250");  // 0.5 * (1 + 3 + ... + 2499) = 0.5 * 1250^2
  // Ids are distinct UUIDv7s made by the service.
  EXPECT_EQ(sql_count(service_.database_url(), "SELECT count(DISTINCT id) FROM system_metrics"),
            2500);
}

TEST_F(MetricsIngest, BatchIsAllOrNothingAndNamesEveryInvalidMetricByIndex) {
  boost::json::array metrics;
  for (int i = 0; i < 20; ++i) metrics.push_back(metric_json({"svc", "cpu", 1.0 * i, hour_}));
  metrics[3].as_object()["metric_value"] = "1";
  metrics[17].as_object().erase("unit");
  metrics[17].as_object()["service_name"] = std::string(101, 'a');
  metrics[18] = 5;
  const auto response =
      client_.post(kBatch, boost::json::value(boost::json::object{{"metrics", metrics}}));
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.error_fields(),
            (std::vector<std::string>{"metrics[3].metric_value", "metrics[17].service_name",
                                      "metrics[17].unit", "metrics[18]"}));
  EXPECT_EQ(stored(), 0);
}

TEST_F(MetricsIngest, BatchSizeMustBeOneToTenThousand) {
  EXPECT_EQ(client_.post(kBatch, R"({"metrics":[]})"sv).error_fields(),
            std::vector<std::string>{"metrics"});
  EXPECT_EQ(client_.post(kBatch, R"({"other":1})"sv).error_fields(),
            std::vector<std::string>{"metrics"});
  std::vector<Point> too_many(10'001, Point{"svc", "cpu", 1, hour_});
  const auto response = client_.post(kBatch, boost::json::value(batch_json(too_many)));
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.error_fields(), std::vector<std::string>{"metrics"});
  too_many.pop_back();
  EXPECT_EQ(client_.post(kBatch, boost::json::value(batch_json(too_many))).status, 201);
  EXPECT_EQ(stored(), 10'000);
}

TEST_F(MetricsIngest, BatchBodiesMayReach16MiBButNoFurther) {
  // About 2 MiB: over the 1 MiB of other routes, well within the batch limit.
  std::vector<Point> points(10'000, Point{"svc", "cpu", 1, hour_, std::string(20, 'u')});
  std::string body = boost::json::serialize(batch_json(points));
  body.insert(body.size() - 1, ",\"padding\":\"" + std::string(1 << 20, 'x') + "\"");
  ASSERT_GT(body.size(), 2u << 20);
  EXPECT_EQ(client_.post(kBatch, body).status, 201);
  EXPECT_EQ(client_.post(kSingle, body).status, 413);

  std::string huge = R"({"metrics":[],"padding":")" + std::string(16u << 20, 'x') + "\"}";
  const auto refused = client_.post(kBatch, huge);
  EXPECT_EQ(refused.status, 413);
  EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(stored(), 10'000);
}

TEST_F(MetricsIngest, WritesKeepTheHourlyRollupsExact) {
  post_batch(client_, {{"svc", "cpu", 1, hour_},
                       {"svc", "cpu", 4, hour_ + 59min},
                       {"svc", "cpu", -2, hour_ + 1h},
                       {"svc", "mem", 8, hour_ + 10min}});
  post_batch(client_, {{"svc", "cpu", 16, hour_ + 30min}});
  ASSERT_EQ(client_.post(kSingle, boost::json::value(metric_json({"svc", "cpu", -32, hour_ + 1s})))
                .status,
            201);
  const auto rollup = [&](const std::string& type, Timestamp hour) {
    return sql_value(service_.database_url(),
                     "SELECT count || ' ' || sum || ' ' || min || ' ' || max "
                     "FROM system_metrics_hourly WHERE service_name = 'svc' AND metric_type = '" +
                         type + "' AND bucket_start = '" + iso(hour) + "'")
        .value_or("");
  };
  EXPECT_EQ(rollup("cpu", hour_), "4 -11 -32 16");
  EXPECT_EQ(rollup("cpu", hour_ + 1h), "1 -2 -2 -2");
  EXPECT_EQ(rollup("mem", hour_), "1 8 8 8");
  EXPECT_EQ(sql_count(service_.database_url(), "SELECT count(*) FROM system_metrics_hourly"), 3);
}

TEST_F(MetricsIngest, SeriesListsEachSeriesWithTheUnitAndTimeOfItsNewestPoint) {
  post_batch(client_, {{"b-svc", "cpu", 1, hour_, "%"},
                       {"a-svc", "latency", 2, hour_ + 5min, "ms"},
                       {"a-svc", "latency", 3, hour_ + 10min, "s"},
                       {"a-svc", "errors", 4, hour_, "count"}});
  // An older point (with another unit) does not move last_timestamp back nor change the unit.
  post_batch(client_, {{"a-svc", "latency", 5, hour_ - 1h, "us"}});
  const auto response = client_.get(kSeries);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto series = response.json().at("series").as_array();
  ASSERT_EQ(series.size(), 3u);
  const auto item = [&](std::size_t i, const char* member) {
    return std::string(series[i].at(member).as_string());
  };
  EXPECT_EQ(item(0, "service_name"), "a-svc");
  EXPECT_EQ(item(0, "metric_type"), "errors");
  EXPECT_EQ(item(1, "metric_type"), "latency");
  EXPECT_EQ(item(1, "unit"), "s");
  EXPECT_EQ(item(1, "last_timestamp"), iso(hour_ + 10min));
  EXPECT_EQ(item(2, "service_name"), "b-svc");
  EXPECT_EQ(item(2, "unit"), "%");

  post_batch(client_, {{"a-svc", "latency", 6, hour_ + 20min, "ns"}});
  const auto later = client_.get(kSeries).json().at("series").as_array();
  EXPECT_EQ(later[1].at("unit").as_string(), "ns");
  EXPECT_EQ(later[1].at("last_timestamp").as_string(), iso(hour_ + 20min));
}

TEST_F(MetricsIngest, SeriesIsEmptyBeforeAnyWrite) {
  const auto response = client_.get(kSeries);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"series":[],"next_cursor":null})"sv);
}

}  // namespace
}  // namespace utxoiq::testing
