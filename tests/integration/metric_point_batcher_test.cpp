// Single metric points on a real PostgreSQL (store/metric_point_batcher through PgMetricWriter):
// points written together go out as one transaction (their rows share an xmin), each request is
// answered with its own point; the hourly rollup counts every point once; a point the database
// refuses fails only its own request; a point with an Idempotency-Key is written on its own
// (metrics_idempotency_test).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "pg/blocking_connection.hpp"
#include "pg/errors.hpp"
#include "pg/pool.hpp"
#include "store/partition_coverage.hpp"
#include "store/pg_metric_writer.hpp"
#include "support/pool_options.hpp"
#include "support/run_together.hpp"
#include "support/test_servers.hpp"
#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {
namespace {

domain::MetricRecord point(std::string service, double value) {
  domain::MetricRecord r;
  r.id = new_uuid_v7();
  r.metric = {std::move(service), "cpu", value, "pct", now_utc(), std::nullopt};
  return r;
}

// One request's write of one point. A function, not a capturing lambda: a coroutine lambda's
// captures die with the lambda object, before the coroutine runs.
Task<store::WriteOutcome> insert_one(store::PgMetricWriter& writer, domain::MetricRecord record) {
  co_return co_await writer.insert(std::span(&record, 1), std::nullopt);
}

class MetricPointBatcherTest : public ::testing::Test {
 protected:
  // Writes every point as its own request, all in the same turn of the loop; waits for all.
  std::vector<CallOutcome<store::WriteOutcome>> write_all(
      const std::vector<domain::MetricRecord>& points) {
    return run_together(io_, points, [this](const domain::MetricRecord& record) {
      return insert_one(writer_, record);
    });
  }

  std::string one_value(const std::string& sql) { return db_.exec(sql).rows.at(0).at(0).value(); }

  boost::asio::io_context io_;
  std::string url_ = TestServers::get().create_migrated_database();
  pg::BlockingConnection db_{url_};
  pg::Pool pool_{io_.get_executor(), small_pool_options(url_)};
  store::PartitionCoverage coverage_;
  store::PgMetricWriter writer_{pool_, coverage_};
};

TEST_F(MetricPointBatcherTest, PointsWrittenTogetherAreOneTransactionEachAnsweredAlone) {
  std::vector<domain::MetricRecord> points;
  for (int i = 0; i < 40; ++i) points.push_back(point("batched", i));
  const auto outcomes = write_all(points);
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome.answer);
    EXPECT_EQ(outcome.answer->inserted, 1);
  }
  EXPECT_EQ(one_value("SELECT count(*) FROM system_metrics WHERE service_name = 'batched'"), "40");
  // The first point may go out alone (it starts the first batch); the other 39 arrive while it
  // is written and go together.
  EXPECT_LE(std::stoi(one_value("SELECT count(DISTINCT xmin::text) FROM system_metrics")), 2);
  // The hourly rollup counted each point once.
  EXPECT_EQ(one_value("SELECT sum(count) FROM system_metrics_hourly WHERE service_name = "
                      "'batched'"),
            "40");
}

TEST_F(MetricPointBatcherTest, APointTheDatabaseRefusesFailsOnlyItsOwnRequest) {
  // 101 characters break varchar(100) (the API validates before; this is the last guard).
  const auto outcomes =
      write_all({point("kept-a", 1), point(std::string(101, 'x'), 2), point("kept-b", 3)});
  EXPECT_TRUE(outcomes[0].answer);
  EXPECT_TRUE(outcomes[2].answer);
  ASSERT_TRUE(outcomes[1].error);
  try {
    std::rethrow_exception(outcomes[1].error);
  } catch (const pg::QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "22001");
  }
  EXPECT_EQ(one_value("SELECT string_agg(service_name, ',' ORDER BY service_name) FROM "
                      "system_metrics"),
            "kept-a,kept-b");
}

}  // namespace
}  // namespace utxoiq::testing
