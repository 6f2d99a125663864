// api.md: "Reads reflect a completed write at once on the instance that made it, and within 1 s on
// every other instance (caches included)." Two real `serve` processes on one database and one
// Redis: a write through one, then reads through the other, 100 times. The reader has the old
// value cached before each write; no read of it that starts more than 1 s after the write was
// answered may return the old value.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "app/free_port.hpp"
#include "support/api_helpers.hpp"
#include "support/cli_runner.hpp"
#include "support/serve_environment.hpp"
#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Instance {
  std::uint16_t port;
  RunningCommand process;
};

std::unique_ptr<Instance> start_instance(const std::string& database_url, const std::string& log) {
  const auto port = static_cast<std::uint16_t>(app::pick_free_loopback_port());
  auto instance = std::unique_ptr<Instance>(
      new Instance{port,
                   // One process per instance (--workers 1): two instances are what this test is
                   // about; worker processes of one instance are workers_test's.
                   RunningCommand({"serve", "--no-migrate", "--workers", "1", "--listen",
                                   "127.0.0.1:" + std::to_string(port)},
                                  serve_environment(database_url, "across:"), log)});
  return instance;
}

HttpClient admin_client(std::uint16_t port) {
  HttpClient client(port);
  client.set_header("Authorization", std::string("Bearer ") + ServiceUnderTest::kAdminKey);
  return client;
}

std::int64_t comments_of(HttpClient& client, const std::string& insight) {
  return get_ok(client, "/api/v1/feedback/stats?insight_id=" + insight)
      .at("total_comments")
      .as_int64();
}

std::int64_t version_of(HttpClient& client, const std::string& job_path) {
  return get_ok(client, job_path).at("version").as_int64();
}

class CacheAcrossInstances : public ::testing::Test {
 protected:
  void SetUp() override {
    database_url_ = TestServers::get().create_migrated_database();
    logs_ =
        std::filesystem::temp_directory_path() / ("utxoiq-across-" + std::to_string(::getpid()));
    std::filesystem::create_directories(logs_);
    writer_ = start_instance(database_url_, (logs_ / "writer.log").string());
    reader_ = start_instance(database_url_, (logs_ / "reader.log").string());
    ASSERT_TRUE(wait_until_ready(writer_->port, 60s, writer_->process))
        << writer_->process.output();
    ASSERT_TRUE(wait_until_ready(reader_->port, 60s, reader_->process))
        << reader_->process.output();
  }
  void TearDown() override {
    for (auto* instance : {writer_.get(), reader_.get()}) {
      if (instance) {
        EXPECT_EQ(instance->process.terminate(), 0) << instance->process.output();
      }
    }
    std::error_code ignored;
    std::filesystem::remove_all(logs_, ignored);
  }

  // Reads through `read` until it returns `expected`; counts the reads that started more than 1 s
  // after `written` and still returned something else. Gives up after 5 s.
  template <typename Read>
  int stale_reads_after_a_second(Read read, std::int64_t expected, Clock::time_point written) {
    int stale_late = 0;
    while (Clock::now() - written < 5s) {
      const auto started = Clock::now();
      if (read() == expected) return stale_late;
      if (started - written > 1s) ++stale_late;
      std::this_thread::sleep_for(2ms);
    }
    return stale_late + 1;  // never became fresh
  }

  std::string database_url_;
  std::filesystem::path logs_;
  std::unique_ptr<Instance> writer_;
  std::unique_ptr<Instance> reader_;
};

TEST_F(CacheAcrossInstances, FeedbackStatsWrittenOnOneAreSeenOnTheOtherWithinASecond) {
  auto writer = admin_client(writer_->port);
  auto reader = admin_client(reader_->port);
  const std::string insight = "across-instances";
  int stale = 0;
  for (int round = 1; round <= 100; ++round) {
    ASSERT_EQ(comments_of(reader, insight), round - 1);  // the reader has the old value cached
    post_ok(
        writer, "/api/v1/feedback/comment",
        {{"insight_id", insight}, {"user_id", "user-" + std::to_string(round)}, {"comment", "x"}},
        201);
    const auto written = Clock::now();
    stale +=
        stale_reads_after_a_second([&] { return comments_of(reader, insight); }, round, written);
  }
  EXPECT_EQ(stale, 0);
}

TEST_F(CacheAcrossInstances, BackfillChangesOnOneAreSeenOnTheOtherWithinASecond) {
  auto writer = admin_client(writer_->port);
  auto reader = admin_client(reader_->port);
  const auto job = start_job(writer, "blocks", 0, 1000);
  const std::string id(job.at("id").as_string());
  const std::string path = "/api/v1/monitoring/backfill/" + id;
  int stale = 0;
  for (int round = 1; round <= 100; ++round) {
    ASSERT_EQ(version_of(reader, path), round);
    post_ok(writer, "/api/v1/monitoring/backfill/progress",
            {{"job_id", id}, {"current_block", round * 5}}, 200);
    const auto written = Clock::now();
    stale +=
        stale_reads_after_a_second([&] { return version_of(reader, path); }, round + 1, written);
  }
  EXPECT_EQ(stale, 0);
}

}  // namespace
}  // namespace utxoiq::testing
