// Requirement 2, criterion 5 (query feedback by user, insight, date range and rating value), and
// api.md "Feedback": GET /feedback with every filter alone and combined (AND), from/to on
// created_at (from inclusive, to exclusive), /feedback/comments and /feedback/user, all keyset
// pages newest first that stay exact when feedback arrives between two page fetches.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

namespace json = boost::json;

const std::string kFeedback = "/api/v1/feedback";

// "insight/user" of each item of a page's `member` array.
std::vector<std::string> keys_of(const json::object& page, const std::string& member = "feedback") {
  std::vector<std::string> keys;
  for (const auto& item : page.at(member).as_array()) {
    const auto& o = item.as_object();
    keys.push_back(std::string(o.at("insight_id").as_string()) + "/" +
                   std::string(o.at("user_id").as_string()));
  }
  return keys;
}

using Keys = std::vector<std::string>;

class FeedbackList : public ::testing::Test {
 protected:
  void SetUp() override {
    struct Seed {
      std::string insight, user;
      std::optional<int> rating;
      bool comment;
      std::optional<std::string> flag;
    };
    const std::vector<Seed> seeds{
        {"A", "u1", 5, true, {}},           {"A", "u2", 3, false, "spam"},
        {"B", "u1", 1, true, "inaccurate"}, {"B", "u3", 4, false, {}},
        {"C", "u2", {}, true, {}},          {"C", "u3", 2, false, "other"},
    };
    int day = 1;
    for (const auto& seed : seeds) {
      const json::object pair{{"insight_id", seed.insight}, {"user_id", seed.user}};
      if (seed.rating) write("/rate", pair, {{"rating", *seed.rating}});
      if (seed.comment) write("/comment", pair, {{"comment", "comment by " + seed.user}});
      if (seed.flag) write("/flag", pair, {{"flag_type", *seed.flag}});
      // Known creation times, a day apart: A/u1 on 2026-01-01 ... C/u3 on 2026-01-06.
      sql_exec(service_.database_url(), "UPDATE insight_feedback SET created_at = '2026-01-0" +
                                            std::to_string(day++) +
                                            "T00:00:00Z' WHERE insight_id = '" + seed.insight +
                                            "' AND user_id = '" + seed.user + "'");
    }
  }

  void write(const std::string& kind, json::object body, const json::object& extra) {
    for (const auto& [k, v] : extra) body[k] = v;
    const auto response = client_.post(kFeedback + kind, body);
    ASSERT_TRUE(response.status == 200 || response.status == 201) << response.body;
  }

  Keys list(const std::string& query) { return keys_of(get_ok(client_, kFeedback + "?" + query)); }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
};

TEST_F(FeedbackList, WithoutFiltersEverythingNewestFirst) {
  EXPECT_EQ(list(""), (Keys{"C/u3", "C/u2", "B/u3", "B/u1", "A/u2", "A/u1"}));
}

TEST_F(FeedbackList, EachFilterAlone) {
  EXPECT_EQ(list("insight_id=B"), (Keys{"B/u3", "B/u1"}));
  EXPECT_EQ(list("user_id=u1"), (Keys{"B/u1", "A/u1"}));
  EXPECT_EQ(list("rating=3"), (Keys{"A/u2"}));
  EXPECT_EQ(list("min_rating=3"), (Keys{"B/u3", "A/u2", "A/u1"}));
  EXPECT_EQ(list("max_rating=2"), (Keys{"C/u3", "B/u1"}));
  EXPECT_EQ(list("flag_type=spam"), (Keys{"A/u2"}));
  EXPECT_EQ(list("flag_type=misleading"), Keys{});
  EXPECT_EQ(list("has_comment=true"), (Keys{"C/u2", "B/u1", "A/u1"}));
  EXPECT_EQ(list("has_comment=false"), (Keys{"C/u3", "B/u3", "A/u2"}));
}

TEST_F(FeedbackList, FromIsInclusiveAndToExclusiveOnCreatedAt) {
  EXPECT_EQ(list("from=2026-01-03T00:00:00Z"), (Keys{"C/u3", "C/u2", "B/u3", "B/u1"}));
  EXPECT_EQ(list("to=2026-01-03T00:00:00Z"), (Keys{"A/u2", "A/u1"}));
  EXPECT_EQ(list("from=2026-01-02T00:00:00Z&to=2026-01-05T00:00:00Z"),
            (Keys{"B/u3", "B/u1", "A/u2"}));
  // Any offset: 01:00+01:00 is midnight UTC.
  EXPECT_EQ(list("from=2026-01-03T01:00:00+01:00&to=2026-01-04T00:00:00.000001z"),
            (Keys{"B/u3", "B/u1"}));
  EXPECT_EQ(list("from=2026-01-03T00:00:00Z&to=2026-01-03T00:00:00Z"), Keys{});
}

TEST_F(FeedbackList, FiltersCombineWithAnd) {
  EXPECT_EQ(list("min_rating=2&max_rating=4"), (Keys{"C/u3", "B/u3", "A/u2"}));
  EXPECT_EQ(list("insight_id=A&min_rating=4"), (Keys{"A/u1"}));
  EXPECT_EQ(list("user_id=u3&has_comment=false&flag_type=other"), (Keys{"C/u3"}));
  EXPECT_EQ(list("rating=5&flag_type=spam"), Keys{});
  EXPECT_EQ(list("user_id=u1&from=2026-01-02T00:00:00Z&has_comment=true"), (Keys{"B/u1"}));
}

TEST_F(FeedbackList, RecordsCarryEveryField) {
  const auto page = get_ok(client_, kFeedback + "?insight_id=B&user_id=u1");
  ASSERT_EQ(page.at("feedback").as_array().size(), 1u);
  const auto& record = page.at("feedback").as_array()[0].as_object();
  EXPECT_EQ(record.at("rating").as_int64(), 1);
  EXPECT_EQ(record.at("comment").as_string(), "comment by u1");
  EXPECT_EQ(record.at("flag_type").as_string(), "inaccurate");
  EXPECT_TRUE(record.at("flag_reason").is_null());
  EXPECT_EQ(record.at("created_at").as_string(), "2026-01-03T00:00:00.000000Z");
  EXPECT_EQ(record.size(), 9u);
  EXPECT_TRUE(page.at("next_cursor").is_null());
}

TEST_F(FeedbackList, PagesStayExactWhenFeedbackArrivesBetweenThem) {
  const auto first = get_ok(client_, kFeedback + "?limit=4");
  EXPECT_EQ(keys_of(first), (Keys{"C/u3", "C/u2", "B/u3", "B/u1"}));
  // New records (created now, newer than all) and a change to an old one.
  write("/rate", {{"insight_id", "D"}, {"user_id", "u9"}}, {{"rating", 2}});
  write("/rate", {{"insight_id", "A"}, {"user_id", "u1"}}, {{"rating", 1}});
  const auto second = get_ok(
      client_, kFeedback + "?limit=4&cursor=" + std::string(first.at("next_cursor").as_string()));
  EXPECT_EQ(keys_of(second), (Keys{"A/u2", "A/u1"}));
  EXPECT_TRUE(second.at("next_cursor").is_null());
}

TEST_F(FeedbackList, FilteredListsPageToo) {
  const auto first = get_ok(client_, kFeedback + "?has_comment=true&limit=2");
  EXPECT_EQ(keys_of(first), (Keys{"C/u2", "B/u1"}));
  const auto second = get_ok(client_, kFeedback + "?has_comment=true&limit=2&cursor=" +
                                          std::string(first.at("next_cursor").as_string()));
  EXPECT_EQ(keys_of(second), (Keys{"A/u1"}));
  EXPECT_TRUE(second.at("next_cursor").is_null());
}

TEST_F(FeedbackList, CommentsOfAnInsightNewestFirst) {
  write("/comment", {{"insight_id", "A"}, {"user_id", "u7"}}, {{"comment", "late comment"}});
  const auto page = get_ok(client_, kFeedback + "/comments?insight_id=A");
  EXPECT_EQ(keys_of(page, "comments"), (Keys{"A/u7", "A/u1"}));
  const auto& comment = page.at("comments").as_array()[1].as_object();
  std::set<std::string> members;
  for (const auto& [key, value] : comment) members.insert(std::string(key));
  EXPECT_EQ(members, (std::set<std::string>{"id", "insight_id", "user_id", "comment", "created_at",
                                            "updated_at"}));
  EXPECT_EQ(comment.at("comment").as_string(), "comment by u1");
  EXPECT_EQ(keys_of(get_ok(client_, kFeedback + "/comments?insight_id=B"), "comments"),
            Keys{"B/u1"});
  EXPECT_EQ(keys_of(get_ok(client_, kFeedback + "/comments?insight_id=none"), "comments"), Keys{});

  const auto one = get_ok(client_, kFeedback + "/comments?insight_id=A&limit=1");
  EXPECT_EQ(keys_of(one, "comments"), Keys{"A/u7"});
  const auto rest = get_ok(client_, kFeedback + "/comments?insight_id=A&limit=1&cursor=" +
                                        std::string(one.at("next_cursor").as_string()));
  EXPECT_EQ(keys_of(rest, "comments"), Keys{"A/u1"});
}

TEST_F(FeedbackList, AUsersHistoryNewestFirst) {
  EXPECT_EQ(keys_of(get_ok(client_, kFeedback + "/user?user_id=u2")), (Keys{"C/u2", "A/u2"}));
  const auto one = get_ok(client_, kFeedback + "/user?user_id=u3&limit=1");
  EXPECT_EQ(keys_of(one), Keys{"C/u3"});
  const auto rest = get_ok(client_, kFeedback + "/user?user_id=u3&limit=1&cursor=" +
                                        std::string(one.at("next_cursor").as_string()));
  EXPECT_EQ(keys_of(rest), Keys{"B/u3"});
  EXPECT_TRUE(rest.at("next_cursor").is_null());
  EXPECT_EQ(keys_of(get_ok(client_, kFeedback + "/user?user_id=nobody")), Keys{});
}

TEST_F(FeedbackList, TextFiltersArePercentDecoded) {
  write("/rate", {{"insight_id", "a b&c=d/é"}, {"user_id", "x"}}, {{"rating", 3}});
  EXPECT_EQ(list("insight_id=" + url_encode("a b&c=d/é")), Keys{"a b&c=d/é/x"});
}

}  // namespace
}  // namespace utxoiq::testing
