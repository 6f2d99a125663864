// Requirement 2, criterion 4, and api.md "Feedback": GET /feedback/stats and POST
// /feedback/stats/batch read the per-insight aggregate that migration 0001's triggers maintain.
// The aggregates are checked against counts the test computes itself from the writes it made
// (a model), and against counts computed by SQL from the feedback rows, before and after an
// erasure (DELETE /feedback/user/{user_id}).
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

namespace json = boost::json;

const std::string kFeedback = "/api/v1/feedback";
const std::array<std::string, 4> kFlagTypes{"inaccurate", "misleading", "spam", "other"};

// What the test knows it wrote: one record per (insight, user).
struct Record {
  std::optional<int> rating;
  bool commented = false;
  std::optional<std::string> flag;
};
using Model = std::map<std::pair<std::string, std::string>, Record>;

// The stats body the model predicts for `insight`.
json::object expected_stats(const Model& model, const std::string& insight) {
  std::array<std::int64_t, 5> ratings{};
  std::map<std::string, std::int64_t> flags;
  for (const auto& type : kFlagTypes) flags[type] = 0;
  std::int64_t comments = 0, total_flags = 0, sum = 0, total_ratings = 0;
  for (const auto& [key, record] : model) {
    if (key.first != insight) continue;
    if (record.rating) {
      ++ratings[static_cast<std::size_t>(*record.rating - 1)];
      sum += *record.rating;
      ++total_ratings;
    }
    if (record.commented) ++comments;
    if (record.flag) {
      ++flags[*record.flag];
      ++total_flags;
    }
  }
  json::object distribution;
  for (int r = 1; r <= 5; ++r)
    distribution[std::to_string(r)] = ratings[static_cast<std::size_t>(r - 1)];
  json::object flag_types;
  for (const auto& [type, n] : flags) flag_types[type] = n;
  json::value average = nullptr;
  if (total_ratings > 0) average = static_cast<double>(sum) / static_cast<double>(total_ratings);
  return {{"insight_id", insight},      {"total_ratings", total_ratings},
          {"average_rating", average},  {"rating_distribution", distribution},
          {"total_comments", comments}, {"total_flags", total_flags},
          {"flag_types", flag_types}};
}

// The same figures computed by SQL from the feedback rows themselves (no aggregate table).
std::string sql_counts(const std::string& url, const std::string& insight) {
  return sql_value(url,
                   "SELECT concat_ws(',', count(rating), coalesce(sum(rating), 0), "
                   "count(*) FILTER (WHERE rating = 1), count(*) FILTER (WHERE rating = 2), "
                   "count(*) FILTER (WHERE rating = 3), count(*) FILTER (WHERE rating = 4), "
                   "count(*) FILTER (WHERE rating = 5), count(comment), count(flag_type), "
                   "count(*) FILTER (WHERE flag_type = 'inaccurate'), "
                   "count(*) FILTER (WHERE flag_type = 'misleading'), "
                   "count(*) FILTER (WHERE flag_type = 'spam'), "
                   "count(*) FILTER (WHERE flag_type = 'other')) "
                   "FROM insight_feedback WHERE insight_id = '" +
                       insight + "'")
      .value();
}
std::string aggregate_row(const std::string& url, const std::string& insight) {
  return sql_value(url,
                   "SELECT concat_ws(',', total_ratings, rating_sum, rating_1, rating_2, rating_3, "
                   "rating_4, rating_5, total_comments, total_flags, flag_inaccurate, "
                   "flag_misleading, flag_spam, flag_other) FROM insight_feedback_stats "
                   "WHERE insight_id = '" +
                       insight + "'")
      .value_or("0,0,0,0,0,0,0,0,0,0,0,0,0");
}

class FeedbackStats : public ::testing::Test {
 protected:
  // Random rates, comments and flags (re-rating and re-flagging included) over a few insights
  // and users, recorded in the model.
  void write_random_feedback(int writes, unsigned seed) {
    std::mt19937 random(seed);
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    for (int i = 0; i < writes; ++i) {
      const std::string insight =
          insights_[static_cast<std::size_t>(pick(static_cast<int>(insights_.size())))];
      const std::string user = "user-" + std::to_string(pick(12));
      json::object body{{"insight_id", insight}, {"user_id", user}};
      Record& record = model_[{insight, user}];
      switch (pick(3)) {
        case 0: {
          const int rating = 1 + pick(5);
          body["rating"] = rating;
          post_ok(client_, kFeedback + "/rate", body, record_exists(record) ? 200 : 201);
          record.rating = rating;
          break;
        }
        case 1:
          body["comment"] = "note " + std::to_string(i);
          post_ok(client_, kFeedback + "/comment", body, record_exists(record) ? 200 : 201);
          record.commented = true;
          break;
        default: {
          const std::string type = kFlagTypes[static_cast<std::size_t>(pick(4))];
          body["flag_type"] = type;
          post_ok(client_, kFeedback + "/flag", body, record_exists(record) ? 200 : 201);
          record.flag = type;
          break;
        }
      }
    }
  }
  static bool record_exists(const Record& r) { return r.rating || r.commented || r.flag; }

  void expect_stats_match_model() {
    for (const auto& insight : insights_) {
      const auto stats = get_ok(client_, kFeedback + "/stats?insight_id=" + insight);
      EXPECT_EQ(json::value(stats), json::value(expected_stats(model_, insight))) << insight;
      EXPECT_EQ(aggregate_row(service_.database_url(), insight),
                sql_counts(service_.database_url(), insight))
          << "trigger aggregate of " << insight << " differs from the rows";
    }
  }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
  std::vector<std::string> insights_{"btc-fees", "mempool-spike", "whale-move", "hashrate"};
  Model model_;
};

TEST_F(FeedbackStats, AggregatesMatchTheCountsOfTheWritesMade) {
  write_random_feedback(160, 7);
  expect_stats_match_model();
}

TEST_F(FeedbackStats, AnInsightNobodyRatedGetsZerosAndANullAverage) {
  const auto stats = get_ok(client_, kFeedback + "/stats?insight_id=never-rated");
  EXPECT_EQ(json::value(stats), json::value(expected_stats({}, "never-rated")));
  EXPECT_TRUE(stats.at("average_rating").is_null());
  EXPECT_EQ(stats.at("rating_distribution").as_object().size(), 5u);
  EXPECT_EQ(stats.at("flag_types").as_object().size(), 4u);

  // Comments and flags alone still leave the average null.
  post_ok(client_, kFeedback + "/comment",
          {{"insight_id", "commented"}, {"user_id", "u"}, {"comment", "hi"}}, 201);
  const auto commented = get_ok(client_, kFeedback + "/stats?insight_id=commented");
  EXPECT_TRUE(commented.at("average_rating").is_null());
  EXPECT_EQ(commented.at("total_comments").as_int64(), 1);
}

TEST_F(FeedbackStats, TheAverageIsTheMeanOfTheRatings) {
  for (const auto& [user, rating] :
       std::vector<std::pair<std::string, int>>{{"a", 5}, {"b", 4}, {"c", 4}}) {
    post_ok(client_, kFeedback + "/rate",
            {{"insight_id", "avg"}, {"user_id", user}, {"rating", rating}}, 201);
  }
  const auto stats = get_ok(client_, kFeedback + "/stats?insight_id=avg");
  EXPECT_DOUBLE_EQ(stats.at("average_rating").as_double(), 13.0 / 3.0);
  EXPECT_EQ(stats.at("rating_distribution").as_object().at("4").as_int64(), 2);
}

TEST_F(FeedbackStats, BatchAnswersInTheOrderAskedWithRepeats) {
  write_random_feedback(60, 11);
  const json::array asked{"whale-move", "unknown-insight", "btc-fees", "whale-move"};
  const auto batch = post_ok(client_, kFeedback + "/stats/batch", {{"insight_ids", asked}});
  const auto& stats = batch.at("stats").as_array();
  ASSERT_EQ(stats.size(), asked.size());
  for (std::size_t i = 0; i < asked.size(); ++i) {
    EXPECT_EQ(stats[i], json::value(expected_stats(model_, std::string(asked[i].as_string()))))
        << i;
  }
}

TEST_F(FeedbackStats, BatchIdsAreValuesNeverSyntax) {
  // Characters that mean something in an array literal or in SQL, and the word NULL.
  const std::vector<std::string> odd{"NULL", "a,b", "{x}", "q\"uote", "back\\slash", "it's", " "};
  json::array asked;
  for (const auto& id : odd) {
    post_ok(client_, kFeedback + "/rate", {{"insight_id", id}, {"user_id", "u"}, {"rating", 2}},
            201);
    asked.emplace_back(id);
  }
  const auto batch = post_ok(client_, kFeedback + "/stats/batch", {{"insight_ids", asked}});
  const auto& stats = batch.at("stats").as_array();
  ASSERT_EQ(stats.size(), odd.size());
  for (std::size_t i = 0; i < odd.size(); ++i) {
    EXPECT_EQ(stats[i].at("insight_id").as_string(), odd[i]);
    EXPECT_EQ(stats[i].at("total_ratings").as_int64(), 1) << odd[i];
  }
}

TEST_F(FeedbackStats, AReaderKeyMayAskForABatch) {
  const auto reader = create_api_key(service_.database_url(), "reader");
  auto client = service_.client(reader.key);
  const auto response =
      client.post(kFeedback + "/stats/batch", json::object{{"insight_ids", json::array{"x"}}});
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(client
                .post(kFeedback + "/rate",
                      json::object{{"insight_id", "x"}, {"user_id", "u"}, {"rating", 3}})
                .status,
            403);
}

TEST_F(FeedbackStats, ErasingAUserCorrectsTheAggregates) {
  write_random_feedback(160, 3);
  const std::string user = "user-4";
  std::int64_t owned = 0;
  for (auto it = model_.begin(); it != model_.end();) {
    if (it->first.second == user) {
      ++owned;
      it = model_.erase(it);
    } else {
      ++it;
    }
  }
  ASSERT_GT(owned, 0) << "the seed gives user-4 some feedback";
  const auto response = client_.del(kFeedback + "/user/" + user);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().as_object().at("deleted").as_int64(), owned);
  EXPECT_EQ(sql_count(service_.database_url(),
                      "SELECT count(*) FROM insight_feedback WHERE user_id = 'user-4'"),
            0);
  expect_stats_match_model();

  const auto again = client_.del(kFeedback + "/user/" + user);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json().as_object().at("deleted").as_int64(), 0);
  EXPECT_EQ(get_ok(client_, kFeedback + "/user?user_id=" + user).at("feedback").as_array().size(),
            0u);
}

TEST_F(FeedbackStats, OnlyAnAdminMayEraseFeedback) {
  post_ok(client_, kFeedback + "/rate", {{"insight_id", "i"}, {"user_id", "victim"}, {"rating", 1}},
          201);
  for (const std::string role : {"reader", "writer"}) {
    auto client = service_.client(create_api_key(service_.database_url(), role).key);
    EXPECT_EQ(client.del(kFeedback + "/user/victim").status, 403) << role;
  }
  EXPECT_EQ(sql_count(service_.database_url(), "SELECT count(*) FROM insight_feedback"), 1);
}

}  // namespace
}  // namespace utxoiq::testing
