// Requirement 4 on the running service (real PostgreSQL and Redis): feedback statistics and
// backfill jobs are read through the two-level cache. A cached read does not touch the database
// (a change made behind the service's back in SQL stays unseen until the entry is invalidated),
// and a write through the API is visible to the very next read on the same instance (the write's
// invalidation is done before its answer is sent).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

namespace json = boost::json;

std::int64_t total_comments(HttpClient& client, const std::string& insight) {
  return get_ok(client, "/api/v1/feedback/stats?insight_id=" + insight)
      .at("total_comments")
      .as_int64();
}

std::int64_t l1_figure(HttpClient& client, const std::string& cache, const std::string& figure) {
  return get_ok(client, "/api/v1/monitoring/cache")
      .at("caches")
      .at(cache)
      .at("l1")
      .at(figure)
      .as_int64();
}

std::int64_t l1_hits(HttpClient& client, const std::string& cache) {
  return l1_figure(client, cache, "hits");
}

// The feedback_stats cache's loader calls so far, from /metrics.
double feedback_stats_loads(HttpClient& client) {
  const std::string name = "utxoiq_cache_loads_total{cache=\"feedback_stats\"} ";
  const std::string body = client.get("/metrics").body;
  const auto at = body.find(name);
  if (at == std::string::npos) throw std::runtime_error("no " + name + "in /metrics");
  return std::stod(body.substr(at + name.size()));
}

TEST(CachedReads, ARepeatedStatsReadIsAnL1HitThatDoesNotReadTheDatabase) {
  ServiceUnderTest service;
  auto client = service.client();
  post_ok(client, "/api/v1/feedback/comment",
          {{"insight_id", "cached-1"}, {"user_id", "u1"}, {"comment", "first"}}, 201);
  EXPECT_EQ(total_comments(client, "cached-1"), 1);  // loads and caches
  const auto hits_before = l1_hits(client, "feedback_stats");

  // Behind the service's back: the cached entry does not see it.
  sql_exec(service.database_url(),
           "UPDATE insight_feedback_stats SET total_comments = 41 WHERE insight_id = 'cached-1'");
  EXPECT_EQ(total_comments(client, "cached-1"), 1);
  EXPECT_EQ(l1_hits(client, "feedback_stats"), hits_before + 1);
}

TEST(CachedReads, AFeedbackWriteIsVisibleToTheNextReadOnTheSameInstance) {
  ServiceUnderTest service;
  auto client = service.client();
  EXPECT_EQ(total_comments(client, "cached-2"), 0);  // cached: all zeros
  for (int i = 1; i <= 5; ++i) {
    post_ok(client, "/api/v1/feedback/comment",
            {{"insight_id", "cached-2"}, {"user_id", "u" + std::to_string(i)}, {"comment", "c"}},
            201);
    EXPECT_EQ(total_comments(client, "cached-2"), i);
  }
  post_ok(client, "/api/v1/feedback/rate",
          {{"insight_id", "cached-2"}, {"user_id", "u1"}, {"rating", 4}}, 200);
  const auto stats = get_ok(client, "/api/v1/feedback/stats?insight_id=cached-2");
  EXPECT_EQ(stats.at("total_ratings").as_int64(), 1);
  EXPECT_EQ(stats.at("average_rating").as_double(), 4.0);
}

TEST(CachedReads, AWriteReloadsTheStatsOfAnInsightThisInstanceReadsAndNoOther) {
  ServiceUnderTest service;
  auto client = service.client();
  const double loads_at_start = feedback_stats_loads(client);

  // Nobody read it here: the write invalidates and loads nothing.
  post_ok(client, "/api/v1/feedback/rate",
          {{"insight_id", "never-read"}, {"user_id", "u1"}, {"rating", 3}}, 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // time for a reload to show
  EXPECT_EQ(feedback_stats_loads(client), loads_at_start);

  // Read here: the write reloads it in the background, and the next read is an L1 hit.
  EXPECT_EQ(
      get_ok(client, "/api/v1/feedback/stats?insight_id=read-here").at("total_ratings").as_int64(),
      0);
  EXPECT_EQ(feedback_stats_loads(client), loads_at_start + 1);
  const auto entries_with_it = l1_figure(client, "feedback_stats", "entries");
  post_ok(client, "/api/v1/feedback/rate",
          {{"insight_id", "read-here"}, {"user_id", "u1"}, {"rating", 5}}, 201);
  // The write drops the entry, then the reload starts (counted) and refills L1 when it ends:
  // wait for both, so that the read below cannot join a reload still in flight.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((feedback_stats_loads(client) < loads_at_start + 2 ||
          l1_figure(client, "feedback_stats", "entries") < entries_with_it) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(feedback_stats_loads(client), loads_at_start + 2);
  EXPECT_EQ(l1_figure(client, "feedback_stats", "entries"), entries_with_it);
  const auto hits_before = l1_hits(client, "feedback_stats");
  EXPECT_EQ(
      get_ok(client, "/api/v1/feedback/stats?insight_id=read-here").at("total_ratings").as_int64(),
      1);
  EXPECT_EQ(l1_hits(client, "feedback_stats"), hits_before + 1);
  EXPECT_EQ(feedback_stats_loads(client), loads_at_start + 2);
}

TEST(CachedReads, AnErasureIsVisibleInTheCachedStatsOfEveryInsightConcerned) {
  ServiceUnderTest service;
  auto client = service.client();
  for (const std::string insight : {"erase-a", "erase-b"}) {
    post_ok(client, "/api/v1/feedback/rate",
            {{"insight_id", insight}, {"user_id", "leaver"}, {"rating", 5}}, 201);
    post_ok(client, "/api/v1/feedback/rate",
            {{"insight_id", insight}, {"user_id", "stayer"}, {"rating", 1}}, 201);
    EXPECT_EQ(get_ok(client, "/api/v1/feedback/stats?insight_id=" + insight)
                  .at("total_ratings")
                  .as_int64(),
              2);
  }
  const auto erased = client.del("/api/v1/feedback/user/leaver");
  ASSERT_EQ(erased.status, 200) << erased.body;
  for (const std::string insight : {"erase-a", "erase-b"}) {
    const auto stats = get_ok(client, "/api/v1/feedback/stats?insight_id=" + insight);
    EXPECT_EQ(stats.at("total_ratings").as_int64(), 1) << insight;
    EXPECT_EQ(stats.at("average_rating").as_double(), 1.0) << insight;
  }
}

TEST(CachedReads, ABackfillJobIsCachedAndEveryChangeIsVisibleAtOnce) {
  ServiceUnderTest service;
  auto client = service.client();
  const auto job = start_job(client, "blocks", 0, 100);
  const std::string id(job.at("id").as_string());
  const std::string path = "/api/v1/monitoring/backfill/" + id;
  EXPECT_EQ(get_ok(client, path).at("version").as_int64(), 1);

  // A cached read does not see a change made behind the service's back ...
  sql_exec(service.database_url(),
           "UPDATE backfill_jobs SET created_by = 'behind-the-back' WHERE id = '" + id + "'");
  EXPECT_TRUE(get_ok(client, path).at("created_by").is_null());

  // ... and every change through the API is visible to the next read.
  post_ok(client, "/api/v1/monitoring/backfill/progress", {{"job_id", id}, {"current_block", 40}},
          200);
  auto read = get_ok(client, path);
  EXPECT_EQ(read.at("current_block").as_int64(), 40);
  EXPECT_EQ(read.at("version").as_int64(), 2);
  EXPECT_EQ(read.at("created_by").as_string(), "behind-the-back");  // reloaded from the database
  post_ok(client, path + "/pause", {}, 200);
  EXPECT_EQ(get_ok(client, path).at("status").as_string(), "paused");
  post_ok(client, path + "/resume", {}, 200);
  post_ok(client, path + "/complete", {}, 200);
  read = get_ok(client, path);
  EXPECT_EQ(read.at("status").as_string(), "completed");
  EXPECT_EQ(read.at("current_block").as_int64(), 100);
}

TEST(CachedReads, AnUnknownJobIsNotCached) {
  ServiceUnderTest service;
  auto client = service.client();
  const std::string id = "0190a5c8-0000-7000-8000-000000000001";
  EXPECT_EQ(client.get("/api/v1/monitoring/backfill/" + id).status, 404);
  sql_exec(service.database_url(),
           "INSERT INTO backfill_jobs (id, job_type, start_block, end_block, current_block) "
           "VALUES ('" +
               id + "', 'blocks', 0, 10, 0)");
  EXPECT_EQ(client.get("/api/v1/monitoring/backfill/" + id).status, 200);
}

}  // namespace
}  // namespace utxoiq::testing
