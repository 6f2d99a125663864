// POST /monitoring/database/publish-metrics on the real service: the instance's own pool, cache,
// query and HTTP figures become rows of system_metrics (service_name utxoiq-store, metadata
// naming the instance), readable through GET /monitoring/metrics; /monitoring/database/queries
// lists the service's own statements by fingerprint; /monitoring/database/indexes answers.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

TEST(PublishMetrics, RowsAreReadableThroughTheMetricsRoute) {
  ServiceUnderTest service;
  auto client = service.client();
  post_ok(client, "/api/v1/feedback/rate", {{"insight_id", "i"}, {"user_id", "u"}, {"rating", 4}},
          201);
  const auto published =
      client.post("/api/v1/monitoring/database/publish-metrics", std::string_view("{}"));
  ASSERT_EQ(published.status, 200) << published.body;
  const auto count = published.json().at("published").to_number<std::int64_t>();
  EXPECT_GE(count, 15);

  const auto read = client.get("/api/v1/monitoring/metrics?service_name=utxoiq-store&limit=10000");
  ASSERT_EQ(read.status, 200) << read.body;
  const auto read_body = read.json();
  const auto& rows = read_body.at("metrics").as_array();
  EXPECT_EQ(static_cast<std::int64_t>(rows.size()), count);
  std::set<std::string> types;
  for (const auto& row : rows) {
    types.insert(std::string(row.at("metric_type").as_string()));
    EXPECT_FALSE(row.at("metadata").at("instance").as_string().empty());
  }
  for (const char* type :
       {"pool.primary.size", "pool.primary.acquired_total", "cache.feedback_stats.l1.hits",
        "queries.calls_total", "http.requests_total"})
    EXPECT_TRUE(types.contains(type)) << type;
}

TEST(PublishMetrics, NeedsAnAdminKey) {
  ServiceUnderTest service;
  EXPECT_EQ(service.client("")
                .post("/api/v1/monitoring/database/publish-metrics", std::string_view("{}"))
                .status,
            401);
}

TEST(QueriesRoute, ListsTheServicesOwnStatementsNormalized) {
  ServiceUnderTest service;
  auto client = service.client();
  for (const char* user : {"a", "b", "c"}) {
    const std::string body =
        std::string(R"({"insight_id":"i","user_id":")") + user + R"(","rating":4})";
    ASSERT_EQ(client.post("/api/v1/feedback/rate", std::string_view(body)).status, 201);
  }
  const auto response = client.get("/api/v1/monitoring/database/queries");
  ASSERT_EQ(response.status, 200);
  const auto body = response.json();
  const auto& queries = body.at("queries").as_array();
  ASSERT_FALSE(queries.empty());
  bool some_called_three_times = false;
  for (const auto& q : queries) {
    EXPECT_EQ(q.at("fingerprint").as_string().size(), 16u);
    if (q.at("calls").to_number<std::int64_t>() >= 3) some_called_three_times = true;
  }
  EXPECT_TRUE(some_called_three_times);
  // Our own routes are no N+1: three writes ran no statement five times in one request.
  EXPECT_TRUE(body.at("n_plus_one").as_array().empty());
}

TEST(IndexesRoute, AnswersTheAdvisorsFourListsAndWhetherHypopgIsThere) {
  ServiceUnderTest service;
  auto client = service.client();
  post_ok(client, "/api/v1/feedback/rate", {{"insight_id", "i"}, {"user_id", "u"}, {"rating", 4}},
          201);
  const auto response = client.get("/api/v1/monitoring/database/indexes");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = response.json();
  for (const char* list : {"suggestions", "unused", "duplicates", "invalid"})
    EXPECT_TRUE(body.at(list).is_array()) << list;
  EXPECT_TRUE(body.at("hypopg").is_bool());
  // The service's own statements on an empty schema are cheap: nothing to suggest.
  EXPECT_TRUE(body.at("suggestions").as_array().empty());
  EXPECT_EQ(service.client("").get("/api/v1/monitoring/database/indexes").status, 401);
}

}  // namespace
}  // namespace utxoiq::testing
