// Requirement 4, criterion 5: "IF Redis is unavailable, THEN the Caching Layer SHALL fall back to
// direct database queries without service interruption." Reads and writes through the API while
// redis-server is stopped in the middle of the run and started again: not one request fails, every
// read reflects the writes before it, and the cache comes back by itself (L2 is used again).
// A binary of its own: it stops the Redis its tests share.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

std::string cache_state(HttpClient& client) {
  return std::string(get_ok(client, "/readyz").at("cache").as_string());
}

std::int64_t l2_lookups(HttpClient& client) {
  const auto l2 = get_ok(client, "/api/v1/monitoring/cache")
                      .at("caches")
                      .at("feedback_stats")
                      .at("l2")
                      .as_object();
  return l2.at("hits").as_int64() + l2.at("misses").as_int64();
}

TEST(CacheRedisOutage, NoRequestFailsWhileRedisIsDownAndTheCacheComesBack) {
  ServiceUnderTest service;
  auto client = service.client();
  const auto job = start_job(client, "blocks", 0, 10'000);
  const std::string job_path =
      "/api/v1/monitoring/backfill/" + std::string(job.at("id").as_string());
  auto& servers = TestServers::get();

  int failures = 0;
  std::int64_t ratings = 0;
  for (int i = 0; i < 300; ++i) {
    if (i == 100) servers.stop_redis();
    if (i == 200) servers.start_redis();
    const std::string insight = "outage-" + std::to_string(i % 7);
    const auto rated = client.post(
        "/api/v1/feedback/rate",
        boost::json::value{
            {"insight_id", insight}, {"user_id", "u" + std::to_string(i)}, {"rating", 1 + i % 5}});
    failures += rated.status != 201;
    ++ratings;
    const auto stats = client.get("/api/v1/feedback/stats?insight_id=" + insight);
    failures += stats.status != 200;
    const auto progress =
        client.post("/api/v1/monitoring/backfill/progress",
                    boost::json::value{{"job_id", job.at("id")}, {"current_block", i}});
    failures += progress.status != 200;
    const auto read = client.get(job_path);
    failures += read.status != 200;
    if (read.status == 200) {
      EXPECT_EQ(read.json().at("current_block").as_int64(), i);
    }
  }
  EXPECT_EQ(failures, 0);
  std::int64_t counted = 0;
  for (int k = 0; k < 7; ++k) {
    counted += get_ok(client, "/api/v1/feedback/stats?insight_id=outage-" + std::to_string(k))
                   .at("total_ratings")
                   .as_int64();
  }
  EXPECT_EQ(counted, ratings);

  // Back by itself: Redis is up again for the service and reads use L2 again.
  for (int i = 0; i < 200 && cache_state(client) != "up"; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(cache_state(client), "up");
  const auto before = l2_lookups(client);
  get_ok(client, "/api/v1/feedback/stats?insight_id=never-read-before");
  EXPECT_GT(l2_lookups(client), before);
}

}  // namespace
}  // namespace utxoiq::testing
