// Requirement 4.4 for metrics on the running service (real PostgreSQL and Redis): the recent
// metrics of a series (the default window) and aggregates over a fixed range are read through the
// cache — a change made behind the service's back in SQL stays unseen — and every write to the
// series through the API is visible to the very next read. Other reads are not cached.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "support/metric_fixtures.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

const std::string kMetrics = "/api/v1/monitoring/metrics";

std::size_t points_in(HttpClient& client, const std::string& query) {
  const auto response = client.get(kMetrics + "?" + query);
  EXPECT_EQ(response.status, 200) << response.body;
  return response.json().at("metrics").as_array().size();
}

std::int64_t aggregate_count(HttpClient& client, const std::string& query) {
  const auto response = client.get(kMetrics + "/aggregate?" + query);
  EXPECT_EQ(response.status, 200) << response.body;
  std::int64_t count = 0;
  const auto body = response.json();  // kept: the loop below reads into it
  for (const auto& bucket : body.at("buckets").as_array()) {
    count += bucket.at("count").as_int64();
  }
  return count;
}

class CachedMetrics : public ::testing::Test {
 protected:
  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
  Timestamp now_ = now_utc();
};

TEST_F(CachedMetrics, RecentMetricsAreCachedAndAWriteToTheSeriesIsSeenAtOnce) {
  post_batch(client_, {{"api", "latency", 1, now_ - 20min}, {"api", "latency", 2, now_ - 10min}});
  const std::string recent = "service_name=api&metric_type=latency";
  EXPECT_EQ(points_in(client_, recent), 2u);

  sql_exec(service_.database_url(), "DELETE FROM system_metrics WHERE metric_value = 1");
  EXPECT_EQ(points_in(client_, recent), 2u);  // the cached answer

  post_batch(client_, {{"api", "latency", 3, now_ - 5min}});
  EXPECT_EQ(points_in(client_, recent), 2u);  // reloaded: the deleted point is gone, the new one in
  const auto body = client_.get(kMetrics + "?" + recent).json();
  EXPECT_EQ(body.at("metrics").as_array().back().at("metric_value").as_double(), 3.0);

  // A write to another series leaves this entry alone.
  sql_exec(service_.database_url(), "DELETE FROM system_metrics WHERE metric_value = 3");
  post_batch(client_, {{"api", "errors", 7, now_ - 5min}});
  EXPECT_EQ(points_in(client_, recent), 2u);
}

TEST_F(CachedMetrics, AggregatesOverAFixedRangeAreCachedAndDroppedByAWriteToTheSeries) {
  const Timestamp hour = std::chrono::floor<std::chrono::hours>(now_ - 3h);
  post_batch(client_, {{"api", "cpu", 10, hour + 5min}, {"api", "cpu", 20, hour + 15min}});
  const std::string fixed = "service_name=api&metric_type=cpu&interval=hour&start=" + iso(hour) +
                            "&end=" + iso(hour + 1h);
  EXPECT_EQ(aggregate_count(client_, fixed), 2);

  sql_exec(service_.database_url(), "DELETE FROM system_metrics_hourly");
  EXPECT_EQ(aggregate_count(client_, fixed), 2);  // the cached answer

  post_batch(client_, {{"api", "cpu", 30, hour + 25min}});
  // Reloaded: the rollup row now holds only what was written since it was deleted.
  EXPECT_EQ(aggregate_count(client_, fixed), 1);
}

TEST_F(CachedMetrics, OtherReadsGoToTheDatabase) {
  const Timestamp hour = std::chrono::floor<std::chrono::hours>(now_ - 3h);
  post_batch(client_, {{"api", "disk", 1, hour + 5min}, {"api", "disk", 2, hour + 6min}});
  const std::string explicit_range =
      "service_name=api&metric_type=disk&start=" + iso(hour) + "&end=" + iso(hour + 1h);
  const std::string default_range = "service_name=api&metric_type=disk&interval=day";
  EXPECT_EQ(points_in(client_, explicit_range), 2u);
  EXPECT_EQ(aggregate_count(client_, default_range), 2);

  sql_exec(service_.database_url(), "DELETE FROM system_metrics WHERE metric_type = 'disk'");
  sql_exec(service_.database_url(), "DELETE FROM system_metrics_hourly WHERE metric_type = 'disk'");
  EXPECT_EQ(points_in(client_, explicit_range), 0u);
  EXPECT_EQ(aggregate_count(client_, default_range), 0);
}

}  // namespace
}  // namespace utxoiq::testing
