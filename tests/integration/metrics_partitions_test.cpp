// Day partitions of system_metrics (requirement 3.2) against the real PostgreSQL: the service
// creates them ahead at start, `partitions maintain` (ops and CLI) is idempotent and safe to run
// twice at once, also while writes arrive, moves rows out of DEFAULT, and leaves days that
// overlap a foreign partition alone. (A write for a day without partition: see
// metrics_default_partition_test.cpp.)
#include "ops/partitions.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/value.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "app/cli.hpp"
#include "pg/blocking_connection.hpp"
#include "support/metric_fixtures.hpp"
#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

std::vector<std::string> partition_names(const std::string& url) {
  pg::BlockingConnection connection(url);
  std::vector<std::string> names;
  for (const auto& p : ops::list_metric_partitions(connection)) names.push_back(p.name);
  return names;
}

std::vector<std::string> day_names(sys_days first, int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back(ops::day_partition_name(first + days{i}));
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

int run_cli(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  return app::run_cli(static_cast<int>(argv.size()), argv.data());
}

TEST(MetricsPartitions, TheServiceCreatesTodayAndSevenDaysAheadAtStart) {
  ServiceUnderTest service;
  const auto today = floor<days>(now_utc());
  const auto names = partition_names(service.database_url());
  for (const auto& name : day_names(today, 8)) EXPECT_TRUE(contains(names, name)) << name;
  EXPECT_TRUE(contains(names, "system_metrics_default"));
  // Nothing behind today is made ahead of need.
  EXPECT_FALSE(contains(names, ops::day_partition_name(today - days{1})));
  // A point of now lands in today's partition, not in DEFAULT.
  auto client = service.client();
  post_batch(client, {{"svc", "cpu", 1, now_utc()}});
  EXPECT_EQ(
      sql_value(service.database_url(), "SELECT tableoid::regclass::text FROM system_metrics"),
      ops::day_partition_name(today));
}

TEST(MetricsPartitions, MaintainIsIdempotentAndHonoursDaysAhead) {
  const auto url = TestServers::get().create_migrated_database();
  const Timestamp now = now_utc();
  const auto first = ops::maintain_metric_partitions(url, {.days_ahead = 3, .now = now});
  EXPECT_EQ(first.created, day_names(floor<days>(now), 4));
  EXPECT_EQ(first.moved_rows, 0);
  EXPECT_EQ(first.partitions.size(), 5u);  // four days and DEFAULT
  const auto second = ops::maintain_metric_partitions(url, {.days_ahead = 3, .now = now});
  EXPECT_TRUE(second.created.empty());
  EXPECT_EQ(second.partitions.size(), 5u);
  // A later day only adds what is missing.
  const auto later = ops::maintain_metric_partitions(url, {.days_ahead = 3, .now = now + days{2}});
  EXPECT_EQ(later.created, day_names(floor<days>(now) + days{4}, 2));
  // The new partitions carry the parent's indexes.
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM pg_indexes WHERE tablename = '" +
                               ops::day_partition_name(floor<days>(now)) + "'"),
            2);
}

TEST(MetricsPartitions, TwoMaintainsAtOnceTakeTurnsAndCreateEachPartitionOnce) {
  const auto url = TestServers::get().create_migrated_database();
  const Timestamp now = now_utc();
  std::atomic<int> created{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      try {
        created += static_cast<int>(
            ops::maintain_metric_partitions(url, {.days_ahead = 7, .now = now}).created.size());
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(created.load(), 8);
  EXPECT_EQ(partition_names(url).size(), 9u);
}

TEST(MetricsPartitions, MaintainWhileWritesArriveLosesNoWriteAndEmptiesDefault) {
  ServiceUnderTest service;
  const auto url = service.database_url();
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::atomic<int> failed{0};
  std::thread writer([&] {
    auto client = service.client();
    for (int round = 0; !stop.load() || round < 5; ++round) {
      // Today's partition, and days without one: each maintain pass has rows to move.
      const Timestamp now = now_utc();
      std::vector<Point> points;
      for (int i = 0; i < 200; ++i) {
        points.push_back({"svc", "cpu", 1.0 * i, now - days{5 + round % 3} - i * 1ms});
        points.push_back({"svc", "cpu", 1.0 * i, now - i * 1ms});
      }
      const auto response =
          client.post("/api/v1/monitoring/metrics/batch", boost::json::value(batch_json(points)));
      if (response.status == 201) {
        written += static_cast<int>(points.size());
      } else {
        ++failed;
        ADD_FAILURE() << response.status << " " << response.body;
      }
    }
  });
  std::int64_t moved = 0;
  for (int pass = 0; pass < 4; ++pass) {
    std::this_thread::sleep_for(150ms);
    moved += ops::maintain_metric_partitions(url, {}).moved_rows;
  }
  stop = true;
  writer.join();
  moved += ops::maintain_metric_partitions(url, {}).moved_rows;
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM system_metrics"), written.load());
  EXPECT_EQ(sql_count(url, "SELECT coalesce(sum(count), 0) FROM system_metrics_hourly"),
            written.load());
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM system_metrics_default"), 0);
  // Rows for the old days went to DEFAULT until a pass made their partition, then straight there.
  EXPECT_GT(moved, 0);
  EXPECT_LE(moved, written.load() / 2);
}

TEST(MetricsPartitions, ADayOverlappingAForeignPartitionIsReportedAndLeftAlone) {
  const auto url = TestServers::get().create_migrated_database();
  const sys_days today = floor<days>(now_utc());
  // A partition not made by us, covering the second half of tomorrow and the day after.
  const auto from = iso(Timestamp{today + days{1}} + 12h);
  const auto to = iso(Timestamp{today + days{3}});
  sql_exec(url,
           "CREATE TABLE system_metrics_manual PARTITION OF system_metrics FOR VALUES FROM ('" +
               from + "') TO ('" + to + "')");
  const auto report = ops::maintain_metric_partitions(url, {.days_ahead = 4, .now = now_utc()});
  EXPECT_EQ(report.blocked, std::vector<sys_days>{today + days{1}});
  EXPECT_EQ(report.created, (std::vector<std::string>{ops::day_partition_name(today),
                                                      ops::day_partition_name(today + days{3}),
                                                      ops::day_partition_name(today + days{4})}));
}

TEST(MetricsPartitions, TheCliCommandMaintainsTheGivenDatabase) {
  const auto url = TestServers::get().create_migrated_database();
  EXPECT_EQ(run_cli({"utxoiq-store", "partitions", "maintain", "--database-url", url,
                     "--days-ahead", "2"}),
            0);
  EXPECT_EQ(partition_names(url).size(), 4u);
  EXPECT_EQ(run_cli({"utxoiq-store", "partitions", "--database-url", url, "maintain"}), 0);
  EXPECT_EQ(partition_names(url).size(), 9u);
  EXPECT_EQ(run_cli({"utxoiq-store", "partitions", "maintain", "--days-ahead", "-1"}), 2);
  EXPECT_EQ(run_cli({"utxoiq-store", "partitions"}), 2);
  EXPECT_EQ(run_cli({"utxoiq-store", "partitions", "maintain", "--database-url",
                     "postgresql://postgres@127.0.0.1:1/none"}),
            3);
}

}  // namespace
}  // namespace utxoiq::testing
