// Requirement 2, criteria 1-3, and api.md "Feedback": rate, comment and flag create the
// (insight_id, user_id) record (201) or change only their own fields in it (200), in one atomic
// statement — also when 200 calls for the same pair race from several threads.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <thread>
#include <vector>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::testing {
namespace {

namespace json = boost::json;

const std::string kFeedback = "/api/v1/feedback";

class FeedbackUpsert : public ::testing::Test {
 protected:
  std::int64_t rows() {
    return sql_count(service_.database_url(), "SELECT count(*) FROM insight_feedback");
  }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
};

TEST_F(FeedbackUpsert, RatingStoresTheRecordOnce) {
  const auto created = post_ok(client_, kFeedback + "/rate",
                               {{"insight_id", "ins-1"}, {"user_id", "u-1"}, {"rating", 4}}, 201);
  EXPECT_EQ(created.at("rating").as_int64(), 4);
  EXPECT_TRUE(created.at("comment").is_null());
  EXPECT_TRUE(created.at("flag_type").is_null());
  EXPECT_TRUE(created.at("flag_reason").is_null());
  EXPECT_TRUE(parse_rfc3339(created.at("created_at").as_string()));
  EXPECT_EQ(sql_value(service_.database_url(),
                      "SELECT rating::text FROM insight_feedback WHERE insight_id = 'ins-1' AND "
                      "user_id = 'u-1'"),
            "4");

  const auto updated = post_ok(client_, kFeedback + "/rate",
                               {{"insight_id", "ins-1"}, {"user_id", "u-1"}, {"rating", 2}}, 200);
  EXPECT_EQ(updated.at("id"), created.at("id"));
  EXPECT_EQ(updated.at("rating").as_int64(), 2);
  EXPECT_EQ(updated.at("created_at"), created.at("created_at"));
  EXPECT_GE(parse_rfc3339(updated.at("updated_at").as_string()).value(),
            parse_rfc3339(created.at("updated_at").as_string()).value());
  EXPECT_EQ(rows(), 1);
}

TEST_F(FeedbackUpsert, EachKindChangesOnlyItsOwnFields) {
  const json::object pair{{"insight_id", "ins-2"}, {"user_id", "u-2"}};
  auto with = [&](json::object extra) {
    json::object body = pair;
    for (auto& [k, v] : extra) body[k] = v;
    return body;
  };
  post_ok(client_, kFeedback + "/comment", with({{"comment", "clear and useful"}}), 201);
  const auto rated = post_ok(client_, kFeedback + "/rate", with({{"rating", 5}}), 200);
  EXPECT_EQ(rated.at("comment").as_string(), "clear and useful");
  const auto flagged =
      post_ok(client_, kFeedback + "/flag",
              with({{"flag_type", "misleading"}, {"flag_reason", "wrong chart"}}), 200);
  EXPECT_EQ(flagged.at("rating").as_int64(), 5);
  EXPECT_EQ(flagged.at("comment").as_string(), "clear and useful");
  EXPECT_EQ(flagged.at("flag_type").as_string(), "misleading");
  EXPECT_EQ(flagged.at("flag_reason").as_string(), "wrong chart");
  const auto recommented =
      post_ok(client_, kFeedback + "/comment", with({{"comment", "better now"}}), 200);
  EXPECT_EQ(recommented.at("rating").as_int64(), 5);
  EXPECT_EQ(recommented.at("flag_type").as_string(), "misleading");
  EXPECT_EQ(recommented.at("comment").as_string(), "better now");
  EXPECT_EQ(rows(), 1);
}

TEST_F(FeedbackUpsert, CommentIsStoredWithItsUserAndTimestamps) {
  const auto created = post_ok(
      client_, kFeedback + "/comment",
      {{"insight_id", "ins-3"}, {"user_id", "ünïcødé user"}, {"comment", "ça marche 👍"}}, 201);
  EXPECT_EQ(created.at("user_id").as_string(), "ünïcødé user");
  EXPECT_EQ(created.at("comment").as_string(), "ça marche 👍");
  EXPECT_EQ(
      sql_value(service_.database_url(), "SELECT user_id || '|' || comment FROM insight_feedback"),
      "ünïcødé user|ça marche 👍");
  EXPECT_EQ(sql_count(service_.database_url(),
                      "SELECT count(*) FROM insight_feedback WHERE created_at IS NOT NULL AND "
                      "updated_at >= created_at"),
            1);
}

TEST_F(FeedbackUpsert, AFlagRecordsItsTypeAndReasonAndAFlagWithoutReasonClearsIt) {
  const json::object pair{{"insight_id", "ins-4"}, {"user_id", "u-4"}};
  json::object first = pair;
  first["flag_type"] = "spam";
  first["flag_reason"] = "advertising";
  post_ok(client_, kFeedback + "/flag", first, 201);
  EXPECT_EQ(sql_value(service_.database_url(),
                      "SELECT flag_type || '/' || flag_reason FROM insight_feedback"),
            "spam/advertising");
  json::object second = pair;
  second["flag_type"] = "other";
  const auto reflagged = post_ok(client_, kFeedback + "/flag", second, 200);
  EXPECT_EQ(reflagged.at("flag_type").as_string(), "other");
  EXPECT_TRUE(reflagged.at("flag_reason").is_null());
  EXPECT_EQ(sql_value(service_.database_url(), "SELECT flag_reason FROM insight_feedback"),
            std::nullopt);
}

TEST_F(FeedbackUpsert, TwoHundredConcurrentCallsForOnePairLeaveOneConsistentRow) {
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 25;  // 200 in all
  std::mutex mutex;
  std::vector<int> statuses;
  std::vector<std::string> ids;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = service_.client();
      for (int i = 0; i < kCallsPerThread; ++i) {
        json::object body{{"insight_id", "hot-insight"}, {"user_id", "hot-user"}};
        std::string target;
        switch ((t + i) % 3) {
          case 0:
            target = kFeedback + "/rate";
            body["rating"] = 1 + (t + i) % 5;
            break;
          case 1:
            target = kFeedback + "/comment";
            body["comment"] = "comment " + std::to_string(t) + "/" + std::to_string(i);
            break;
          default:
            target = kFeedback + "/flag";
            body["flag_type"] = (t % 2) ? "spam" : "inaccurate";
            break;
        }
        const auto response = client.post(target, body);
        std::lock_guard lock(mutex);
        statuses.push_back(response.status);
        if (response.status == 200 || response.status == 201) {
          ids.emplace_back(response.json().as_object().at("id").as_string());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  ASSERT_EQ(statuses.size(), 200u);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1) << "exactly one call created it";
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 199);
  ASSERT_EQ(ids.size(), 200u);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), ids.front()), 200) << "all saw the same record";
  EXPECT_EQ(rows(), 1);

  // The record holds one value of each kind, and the aggregate counts exactly that one record.
  const auto stats = get_ok(client_, kFeedback + "/stats?insight_id=hot-insight");
  EXPECT_EQ(stats.at("total_ratings").as_int64(), 1);
  EXPECT_EQ(stats.at("total_comments").as_int64(), 1);
  EXPECT_EQ(stats.at("total_flags").as_int64(), 1);
  const std::string rating =
      sql_value(service_.database_url(), "SELECT rating::text FROM insight_feedback").value();
  EXPECT_EQ(stats.at("rating_distribution").as_object().at(rating).as_int64(), 1);
  const std::string flag =
      sql_value(service_.database_url(), "SELECT flag_type FROM insight_feedback").value();
  EXPECT_EQ(stats.at("flag_types").as_object().at(flag).as_int64(), 1);
}

}  // namespace
}  // namespace utxoiq::testing
