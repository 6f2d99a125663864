// api.md "Backfill jobs": concurrent progress updates never lose one another, and optimistic
// locking (expected_version) lets exactly one of several racing writers through. The writers are
// separate HTTP clients on their own threads, so the requests really overlap in the service.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

namespace json = boost::json;

const std::string kProgress = "/api/v1/monitoring/backfill/progress";

TEST(BackfillConcurrency, ConcurrentProgressUpdatesAreAllApplied) {
  ServiceUnderTest service;
  auto setup = service.client();
  const auto job = start_job(setup, "blocks", 0, 1'000'000);

  constexpr int kThreads = 8;
  constexpr int kUpdatesPerThread = 15;
  std::mutex mutex;
  std::vector<std::int64_t> versions;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = service.client();
      for (int i = 0; i < kUpdatesPerThread; ++i) {
        // Every writer reports the same block (allowed: equal to the stored one), each with its
        // own percentage, so a lost update would show as a missing version.
        const json::object body{{"job_id", job.at("id")},
                                {"current_block", 500},
                                {"progress_percentage", t + i / 100.0}};
        const auto response = client.post(kProgress, body);
        std::lock_guard lock(mutex);
        if (response.status == 200) {
          versions.push_back(response.json().as_object().at("version").as_int64());
        } else {
          failures.push_back(std::to_string(response.status) + " " + response.body);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_TRUE(failures.empty()) << failures.front();
  constexpr std::int64_t kTotal = kThreads * kUpdatesPerThread;
  ASSERT_EQ(versions.size(), static_cast<std::size_t>(kTotal));
  std::sort(versions.begin(), versions.end());
  for (std::int64_t i = 0; i < kTotal; ++i) {
    EXPECT_EQ(versions[static_cast<std::size_t>(i)], i + 2) << "each update got its own version";
  }
  const auto stored =
      get_ok(setup, "/api/v1/monitoring/backfill/" + std::string(job.at("id").as_string()));
  EXPECT_EQ(stored.at("version").as_int64(), kTotal + 1);
  EXPECT_EQ(sql_count(service.database_url(), "SELECT version FROM backfill_jobs"), kTotal + 1);
}

TEST(BackfillConcurrency, RacingWritersWithTheSameExpectedVersionHaveOneWinner) {
  ServiceUnderTest service;
  auto setup = service.client();
  constexpr int kRounds = 5;
  constexpr int kWriters = 6;
  for (int round = 0; round < kRounds; ++round) {
    const auto job = start_job(setup, "blocks", 0, 100);
    std::atomic<int> ok{0};
    std::atomic<int> conflicts{0};
    std::atomic<int> other{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        auto client = service.client();
        const json::object body{
            {"job_id", job.at("id")}, {"current_block", 10 + w}, {"expected_version", 1}};
        const int status = client.post(kProgress, body).status;
        (status == 200 ? ok : status == 409 ? conflicts : other)++;
      });
    }
    for (auto& writer : writers) writer.join();
    EXPECT_EQ(ok.load(), 1) << "round " << round;
    EXPECT_EQ(conflicts.load(), kWriters - 1) << "round " << round;
    EXPECT_EQ(other.load(), 0) << "round " << round;
    const auto stored =
        get_ok(setup, "/api/v1/monitoring/backfill/" + std::string(job.at("id").as_string()));
    EXPECT_EQ(stored.at("version").as_int64(), 2);
  }
}

TEST(BackfillConcurrency, ProgressRacingACompleteNeverReopensTheJob) {
  ServiceUnderTest service;
  auto setup = service.client();
  const auto job = start_job(setup, "blocks", 0, 100);
  const std::string id(job.at("id").as_string());
  std::atomic<int> after_completion_ok{0};
  std::atomic<bool> completed{false};
  std::thread progress([&] {
    auto client = service.client();
    for (int i = 0; i < 40; ++i) {
      const bool was_completed = completed.load();
      const int status =
          client.post(kProgress, json::object{{"job_id", id}, {"current_block", i}}).status;
      if (was_completed && status == 200) after_completion_ok++;
    }
  });
  auto client = service.client();
  EXPECT_EQ(
      client.post("/api/v1/monitoring/backfill/" + id + "/complete", std::string_view("{}")).status,
      200);
  completed = true;
  progress.join();
  EXPECT_EQ(after_completion_ok.load(), 0);
  const auto stored = get_ok(setup, "/api/v1/monitoring/backfill/" + id);
  EXPECT_EQ(stored.at("status").as_string(), "completed");
  EXPECT_EQ(stored.at("current_block").as_int64(), 100);
}

}  // namespace
}  // namespace utxoiq::testing
