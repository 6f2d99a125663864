// "PostgreSQL killed under load -> every acknowledged write is there after it returns, and the
// service recovers by itself." Writers hammer the API (feedback ratings, single metrics, backfill
// progress) from several connections while the postmaster is SIGKILLed and, a moment later,
// started again (crash recovery). Every write that was answered 2xx must be in the tables
// afterwards; requests during the outage may fail, but only with 503 and Retry-After (never a 500,
// never a reset), and the service takes writes again without a restart. A binary of its own: it
// kills the PostgreSQL its tests share.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pg/blocking_connection.hpp"
#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

struct Acknowledged {
  std::mutex mutex;
  std::set<std::string> ratings;   // user ids whose rating was answered 201
  std::set<std::string> metrics;   // ids of metrics answered 201
  std::int64_t last_block = 0;     // highest current_block answered 200
  std::atomic<int> unexpected{0};  // answers other than 2xx / 503 with Retry-After
  std::atomic<int> unavailable{0};
};

// One writer: its own connection, a write of each kind in turn until `stop`.
void write_until(std::uint16_t port, int writer, const std::string& job_id,
                 std::atomic<std::int64_t>& next_block, std::atomic<bool>& stop,
                 Acknowledged& acked) {
  HttpClient client(port);
  client.set_header("Authorization", std::string("Bearer ") + ServiceUnderTest::kAdminKey);
  for (int i = 0; !stop; ++i) {
    try {
      const std::string user = "w" + std::to_string(writer) + "-" + std::to_string(i);
      const auto rated = client.post(
          "/api/v1/feedback/rate",
          boost::json::value{{"insight_id", "crash"}, {"user_id", user}, {"rating", 1 + i % 5}});
      const auto metric = client.post(
          "/api/v1/monitoring/metrics",
          boost::json::value{{"service_name", "crash"},
                             {"metric_type", "w" + std::to_string(writer)},
                             {"metric_value", i},
                             {"unit", "n"},
                             {"timestamp", format_rfc3339(now_utc() - std::chrono::seconds(1))}});
      const std::int64_t block = next_block.fetch_add(1);
      const auto progress =
          client.post("/api/v1/monitoring/backfill/progress",
                      boost::json::value{{"job_id", job_id}, {"current_block", block}});
      std::lock_guard lock(acked.mutex);
      for (const auto* response : {&rated, &metric, &progress}) {
        const bool ok = response->status == 200 || response->status == 201;
        const bool refused = response->status == 503 && response->has_header("Retry-After");
        // 422 for progress only: a block below one already stored by a faster writer.
        const bool overtaken = response == &progress && response->status == 422;
        if (!ok && !refused && !overtaken) {
          ++acked.unexpected;
          ADD_FAILURE() << response->status << " " << response->body;
        }
        if (refused) ++acked.unavailable;
      }
      if (rated.status == 201) acked.ratings.insert(user);
      if (metric.status == 201) {
        acked.metrics.insert(std::string(metric.json().at("id").as_string()));
      }
      if (progress.status == 200) acked.last_block = std::max(acked.last_block, block);
    } catch (const std::exception& e) {
      ++acked.unexpected;
      ADD_FAILURE() << "writer " << writer << ": " << e.what();
      return;
    }
  }
}

std::set<std::string> column_values(const std::string& url, const std::string& sql) {
  pg::BlockingConnection connection(url);
  std::set<std::string> values;
  for (const auto& row : connection.exec(sql).rows) values.insert(*row.at(0));
  return values;
}

TEST(FaultPostgresKill, EveryAcknowledgedWriteSurvivesACrashAndTheServiceRecovers) {
  ServiceUnderTest service([] {
    ServiceUnderTestOptions options;
    // Fail fast while the server is gone instead of queueing for the default 5 s.
    options.configure = [](app::ServeConfig& config) { config.pool.acquire_timeout_s = 1; };
    return options;
  }());
  auto admin = service.client();
  const auto job = start_job(admin, "blocks", 0, 1'000'000'000);
  const std::string job_id(job.at("id").as_string());

  Acknowledged acked;
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> next_block{1};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back(write_until, service.port(), w, std::cref(job_id), std::ref(next_block),
                         std::ref(stop), std::ref(acked));
  }
  std::this_thread::sleep_for(1500ms);
  TestServers::get().kill_postgres();
  std::this_thread::sleep_for(1000ms);
  TestServers::get().start_postgres();
  // Back by itself: writes succeed again without a restart of the service.
  bool recovered = false;
  for (int i = 0; i < 600 && !recovered; ++i) {
    std::this_thread::sleep_for(100ms);
    recovered = admin
                    .post("/api/v1/feedback/rate",
                          boost::json::value{{"insight_id", "crash-probe"},
                                             {"user_id", "probe-" + std::to_string(i)},
                                             {"rating", 3}})
                    .status == 201;
  }
  std::this_thread::sleep_for(1000ms);  // more writes on the recovered server
  stop = true;
  for (auto& writer : writers) writer.join();
  EXPECT_TRUE(recovered) << "the service did not take writes again within 60 s";
  EXPECT_EQ(acked.unexpected.load(), 0);
  EXPECT_GT(acked.unavailable.load(), 0) << "the outage was not seen at all";

  const std::string url = service.database_url();
  const auto ratings =
      column_values(url, "SELECT user_id FROM insight_feedback WHERE insight_id = 'crash'");
  const auto metrics =
      column_values(url, "SELECT id::text FROM system_metrics WHERE service_name = 'crash'");
  ASSERT_FALSE(acked.ratings.empty());
  ASSERT_FALSE(acked.metrics.empty());
  for (const auto& user : acked.ratings) EXPECT_TRUE(ratings.count(user)) << "rating of " << user;
  for (const auto& id : acked.metrics) EXPECT_TRUE(metrics.count(id)) << "metric " << id;
  const auto stored_block =
      sql_count(url, "SELECT current_block FROM backfill_jobs WHERE id = '" + job_id + "'");
  EXPECT_GE(stored_block, acked.last_block);
  // The aggregate the triggers keep is as exact after the crash as the rows.
  EXPECT_EQ(
      sql_count(url, "SELECT total_ratings FROM insight_feedback_stats WHERE insight_id = 'crash'"),
      sql_count(url, "SELECT count(*) FROM insight_feedback WHERE insight_id = 'crash'"));
}

}  // namespace
}  // namespace utxoiq::testing
