// Requirement 1 (user story): backfill job progress persists across restarts — of the service and
// of PostgreSQL itself — so interrupted jobs can be tracked and resumed. A binary of its own,
// because it stops the PostgreSQL that every test of the binary shares.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

// GET until 200 (the pool reconnects on its own after PostgreSQL is back; meanwhile the service
// answers 503) or `limit` passes.
HttpResponse get_when_back(HttpClient& client, const std::string& target,
                           std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  HttpResponse response = client.get(target);
  while (response.status != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    response = client.get(target);
  }
  return response;
}

TEST(BackfillPersistence, AJobSurvivesAServiceRestart) {
  ServiceUnderTest service;
  auto client = service.client();
  const auto job = start_job(client, "blocks", 0, 1000);
  const std::string path = "/api/v1/monitoring/backfill/" + std::string(job.at("id").as_string());
  post_ok(client, "/api/v1/monitoring/backfill/progress",
          {{"job_id", job.at("id")}, {"current_block", 250}});
  post_ok(client, path + "/pause", {});

  service.restart();
  const auto read = get_ok(client, path);
  EXPECT_EQ(read.at("status").as_string(), "paused");
  EXPECT_EQ(read.at("current_block").as_int64(), 250);
  EXPECT_DOUBLE_EQ(read.at("progress_percentage").as_double(), 25.0);
  EXPECT_EQ(read.at("version").as_int64(), 3);
  EXPECT_EQ(read.at("started_at"), job.at("started_at"));

  // And it can be resumed where it stopped.
  EXPECT_EQ(post_ok(client, path + "/resume", {}).at("status").as_string(), "running");
  EXPECT_EQ(post_ok(client, "/api/v1/monitoring/backfill/progress",
                    {{"job_id", job.at("id")}, {"current_block", 300}})
                .at("version")
                .as_int64(),
            5);
}

TEST(BackfillPersistence, AJobSurvivesAPostgresRestart) {
  ServiceUnderTest service;
  auto client = service.client();
  const auto job = start_job(client, "transactions", 10, 20);
  const std::string path = "/api/v1/monitoring/backfill/" + std::string(job.at("id").as_string());
  post_ok(client, path + "/fail", {{"error_message", "interrupted by the test"}});

  TestServers::get().stop_postgres();
  const auto during = client.get(path);
  EXPECT_EQ(during.status, 503) << during.body;
  EXPECT_FALSE(during.header("Retry-After").empty());
  TestServers::get().start_postgres();

  const auto read = get_when_back(client, path, 60s);
  ASSERT_EQ(read.status, 200) << read.body;
  const auto stored = read.json().as_object();
  EXPECT_EQ(stored.at("status").as_string(), "failed");
  EXPECT_EQ(stored.at("error_message").as_string(), "interrupted by the test");
  EXPECT_EQ(stored.at("completed_at"), json::value(stored.at("updated_at")));
  EXPECT_EQ(stored.at("version").as_int64(), 2);

  // And a fresh service process (a new pool, nothing in memory) on the restarted server reads it
  // too.
  service.restart();
  EXPECT_EQ(get_ok(client, path).at("status").as_string(), "failed");
}

}  // namespace
}  // namespace utxoiq::testing
