// A write for a day without a partition (requirement 3.2) against the real PostgreSQL: it is
// stored in the DEFAULT partition and reported (a warning line and the counter
// utxoiq_metrics_default_partition_rows_total on GET /metrics), and `partitions maintain` then
// moves it into the day partition it creates, where later writes for that day go.
//
// A binary of its own, with this one test: GET /metrics runs every collector of the
// process-wide registry, and the pool collector that app::add_pool_metrics registers outlives
// its Service (a use-after-free once an earlier Service of the same process is gone; ASan
// reports it in service_http_test too). Here the only Service is the first one.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "ops/partitions.hpp"
#include "pg/blocking_connection.hpp"
#include "support/metric_fixtures.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

bool has_partition(const std::string& url, const std::string& name) {
  pg::BlockingConnection connection(url);
  for (const auto& p : ops::list_metric_partitions(connection)) {
    if (p.name == name) return true;
  }
  return false;
}

TEST(MetricsDefaultPartition, AWriteForADayWithoutPartitionIsStoredReportedAndMovedByMaintain) {
  ServiceUnderTest service;
  auto client = service.client();
  const auto url = service.database_url();
  const auto counter = [&] {
    return exposition_value(client.get("/metrics").body,
                            "utxoiq_metrics_default_partition_rows_total");
  };
  const double before = counter();
  const Timestamp old = floor<hours>(now_utc()) - days{10} + 15min;
  const sys_days old_day = floor<days>(old);
  post_batch(client, {{"svc", "cpu", 1, old},
                      {"svc", "cpu", 2, old + 1s},
                      {"svc", "cpu", 4, now_utc()}});  // this one has its partition
  EXPECT_EQ(counter() - before, 2);
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM system_metrics_default"), 2);
  EXPECT_FALSE(has_partition(url, ops::day_partition_name(old_day)));

  const auto report = ops::maintain_metric_partitions(url, {});
  EXPECT_EQ(report.created, std::vector<std::string>{ops::day_partition_name(old_day)});
  EXPECT_EQ(report.moved_rows, 2);
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM system_metrics_default"), 0);
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM " + ops::day_partition_name(old_day)), 2);
  EXPECT_EQ(sql_value(url,
                      "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c "
                      "WHERE relname = 'system_metrics_default'"),
            "DEFAULT");  // attached again
  // Every point is still there, through the API.
  const auto range = client.get(
      "/api/v1/monitoring/metrics?service_name=svc&metric_type=cpu&start=" + iso(old - 1h) +
      "&end=" + iso(old + 1h));
  ASSERT_EQ(range.status, 200);
  EXPECT_EQ(range.json().at("metrics").as_array().size(), 2u);
  // A new write for that day now goes to its partition and is not reported, although the
  // service has not had a maintenance pass since (it checks in the write's transaction).
  const double after_move = counter();
  post_batch(client, {{"svc", "cpu", 8, old + 2s}});
  EXPECT_EQ(counter(), after_move);
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM system_metrics_default"), 0);
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM " + ops::day_partition_name(old_day)), 3);
}

}  // namespace
}  // namespace utxoiq::testing
