// Feedback requests (rate, comment, flag, stats batch), records and statistics with their JSON
// forms.
#include "domain/feedback.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "domain/feedback_requests.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::domain {
namespace {

boost::json::object body(std::string_view json) {
  return boost::json::parse(json).as_object();
}

std::vector<std::string> fields_of(const FieldErrors& errors) {
  std::vector<std::string> fields;
  for (const auto& e : errors) {
    EXPECT_FALSE(e.message.empty()) << e.field;
    fields.push_back(e.field);
  }
  return fields;
}

std::string repeat(std::string_view piece, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += piece;
  return out;
}

struct BadBody {
  std::string json;
  std::vector<std::string> fields;
};

TEST(RateFeedback, AcceptsRatingsOneToFive) {
  for (int rating = 1; rating <= 5; ++rating) {
    const auto r = parse_rate_feedback(
        body(R"({"insight_id":"i-1","user_id":"u-1","rating":)" + std::to_string(rating) + "}"));
    ASSERT_TRUE(r.ok()) << rating;
    EXPECT_EQ(r->rating, rating);
    EXPECT_EQ(r->insight_id, "i-1");
    EXPECT_EQ(r->user_id, "u-1");
  }
  // Ids of exactly 100 code points, 4-byte characters.
  const auto wide =
      parse_rate_feedback(body(R"({"insight_id":")" + repeat("\U0001F600", 100) +
                               R"(","user_id":")" + repeat("\u00e9", 100) + R"(","rating":5.0})"));
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(wide->insight_id.size(), 400u);
}

TEST(RateFeedback, ReportsEveryInvalidField) {
  const std::vector<BadBody> cases = {
      {R"({})", {"insight_id", "user_id", "rating"}},
      {R"({"insight_id":"","user_id":"","rating":0})", {"insight_id", "user_id", "rating"}},
      {R"({"insight_id":1,"user_id":true,"rating":"5"})", {"insight_id", "user_id", "rating"}},
      {R"({"insight_id":"i","user_id":"u","rating":6})", {"rating"}},
      {R"({"insight_id":"i","user_id":"u","rating":2.5})", {"rating"}},
      {R"({"insight_id":"i","user_id":"u","rating":null})", {"rating"}},
      {R"({"insight_id":"i","user_id":"u","rating":true})", {"rating"}},
      {R"({"insight_id":")" + repeat("\U0001F600", 101) + R"(","user_id":")" +
           std::string(101, 'u') + R"(","rating":-1})",
       {"insight_id", "user_id", "rating"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_rate_feedback(body(c.json));
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(fields_of(r.errors()), c.fields) << c.json;
  }
}

TEST(CommentFeedback, CommentIsOneToFiveThousandCharacters) {
  const auto ok = parse_comment_feedback(
      body(R"({"insight_id":"i","user_id":"u","comment":")" + repeat("\u20ac", 5'000) + R"("})"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->comment.size(), 15'000u);
  const auto one =
      parse_comment_feedback(body(R"({"insight_id":"i","user_id":"u","comment":"!"})"));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->comment, "!");

  const std::vector<BadBody> cases = {
      {R"({"insight_id":"i","user_id":"u"})", {"comment"}},
      {R"({"insight_id":"i","user_id":"u","comment":""})", {"comment"}},
      {R"({"user_id":"u","comment":")" + repeat("\u20ac", 5'001) + R"("})",
       {"insight_id", "comment"}},
      {R"({"insight_id":"i","user_id":"u","comment":["x"]})", {"comment"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_comment_feedback(body(c.json));
    ASSERT_FALSE(r.ok()) << c.json.substr(0, 60);
    EXPECT_EQ(fields_of(r.errors()), c.fields) << c.json.substr(0, 60);
  }
}

TEST(FlagFeedback, AcceptsTheFourTypesAndAnOptionalReason) {
  for (const FlagType type : kFlagTypes) {
    const auto r = parse_flag_feedback(body(R"({"insight_id":"i","user_id":"u","flag_type":")" +
                                            std::string(to_string(type)) + R"("})"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->flag_type, type);
    EXPECT_FALSE(r->flag_reason.has_value());
  }
  const auto with_null = parse_flag_feedback(
      body(R"({"insight_id":"i","user_id":"u","flag_type":"spam","flag_reason":null})"));
  ASSERT_TRUE(with_null.ok());
  EXPECT_FALSE(with_null->flag_reason.has_value());
  const auto at_limit = parse_flag_feedback(
      body(R"({"insight_id":"i","user_id":"u","flag_type":"other","flag_reason":")" +
           repeat("\u00e9", 2'000) + R"("})"));
  ASSERT_TRUE(at_limit.ok());
  EXPECT_EQ(at_limit->flag_reason->size(), 4'000u);
}

TEST(FlagFeedback, ReportsEveryInvalidField) {
  const std::vector<BadBody> cases = {
      {R"({})", {"insight_id", "user_id", "flag_type"}},
      {R"({"insight_id":"i","user_id":"u","flag_type":"rude"})", {"flag_type"}},
      {R"({"insight_id":"i","user_id":"u","flag_type":"SPAM"})", {"flag_type"}},
      {R"({"insight_id":"i","user_id":"u","flag_type":3,"flag_reason":3})",
       {"flag_type", "flag_reason"}},
      {R"({"insight_id":"i","flag_type":"spam","flag_reason":")" + repeat("\u00e9", 2'001) +
           R"("})",
       {"user_id", "flag_reason"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_flag_feedback(body(c.json));
    ASSERT_FALSE(r.ok()) << c.json.substr(0, 60);
    EXPECT_EQ(fields_of(r.errors()), c.fields) << c.json.substr(0, 60);
  }
}

TEST(StatsBatch, KeepsOrderAndRepeats) {
  const auto r = parse_stats_batch(body(R"({"insight_ids":["b","a","b"]})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->insight_ids, (std::vector<std::string>{"b", "a", "b"}));

  boost::json::array ids;
  for (int i = 0; i < 500; ++i) ids.emplace_back("id-" + std::to_string(i));
  boost::json::object big{{"insight_ids", ids}};
  EXPECT_TRUE(parse_stats_batch(big).ok());
  ids.emplace_back("one-too-many");
  big["insight_ids"] = ids;
  EXPECT_EQ(fields_of(parse_stats_batch(big).errors()), std::vector<std::string>{"insight_ids"});
}

TEST(StatsBatch, NamesTheBadElements) {
  const std::vector<BadBody> cases = {
      {R"({})", {"insight_ids"}},
      {R"({"insight_ids":null})", {"insight_ids"}},
      {R"({"insight_ids":"a"})", {"insight_ids"}},
      {R"({"insight_ids":[]})", {"insight_ids"}},
      {R"({"insight_ids":["a","b","c",""]})", {"insight_ids[3]"}},
      {R"({"insight_ids":[1,"ok",null,")" + std::string(101, 'x') + R"("]})",
       {"insight_ids[0]", "insight_ids[2]", "insight_ids[3]"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_stats_batch(body(c.json));
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(fields_of(r.errors()), c.fields) << c.json;
  }
}

TEST(UserIdPath, IsOneToHundredCharacters) {
  EXPECT_EQ(parse_user_id_path("alice").value(), "alice");
  EXPECT_TRUE(parse_user_id_path(std::string(100, 'u')).ok());
  for (const std::string& bad :
       {std::string(), std::string(101, 'u'), std::string("\xff"), std::string("a\0b", 3)}) {
    const auto r = parse_user_id_path(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(fields_of(r.errors()), std::vector<std::string>{"user_id"});
  }
}

TEST(FeedbackJson, RecordHasEveryFieldWithNullsForAbsentOnes) {
  Feedback f;
  f.id = *Uuid::parse("0192f0c4-5b7a-7cde-8f01-23456789abcd");
  f.insight_id = "i";
  f.user_id = "u";
  f.rating = 4;
  f.created_at = *parse_rfc3339("2026-11-22T01:00:00Z");
  f.updated_at = *parse_rfc3339("2026-11-22T02:00:00.5+01:00");
  boost::json::object o = to_json(f);
  EXPECT_EQ(o.size(), 9u);
  EXPECT_EQ(o.at("id"), "0192f0c4-5b7a-7cde-8f01-23456789abcd");
  EXPECT_EQ(o.at("rating").as_int64(), 4);
  EXPECT_TRUE(o.at("comment").is_null());
  EXPECT_TRUE(o.at("flag_type").is_null());
  EXPECT_TRUE(o.at("flag_reason").is_null());
  EXPECT_EQ(o.at("created_at"), "2026-11-22T01:00:00.000000Z");
  EXPECT_EQ(o.at("updated_at"), "2026-11-22T01:00:00.500000Z");

  f.rating.reset();
  f.comment = "nice";
  f.flag_type = FlagType::misleading;
  f.flag_reason = "why";
  o = to_json(f);
  EXPECT_TRUE(o.at("rating").is_null());
  EXPECT_EQ(o.at("comment"), "nice");
  EXPECT_EQ(o.at("flag_type"), "misleading");
  EXPECT_EQ(o.at("flag_reason"), "why");

  const boost::json::object c = comment_to_json(f);
  EXPECT_EQ(c.size(), 6u);
  EXPECT_EQ(c.at("comment"), "nice");
  EXPECT_FALSE(c.contains("rating"));
}

TEST(FeedbackStatsJson, EmptyStatsAreAllZerosWithNullAverage) {
  FeedbackStats stats;
  stats.insight_id = "nobody-rated-this";
  const boost::json::object o = to_json(stats);
  EXPECT_EQ(o.at("insight_id"), "nobody-rated-this");
  EXPECT_EQ(o.at("total_ratings").as_int64(), 0);
  EXPECT_TRUE(o.at("average_rating").is_null());
  const auto& distribution = o.at("rating_distribution").as_object();
  EXPECT_EQ(distribution.size(), 5u);
  for (const char* key : {"1", "2", "3", "4", "5"}) EXPECT_EQ(distribution.at(key).as_int64(), 0);
  const auto& flags = o.at("flag_types").as_object();
  EXPECT_EQ(flags.size(), 4u);
  for (const char* key : {"inaccurate", "misleading", "spam", "other"}) {
    EXPECT_EQ(flags.at(key).as_int64(), 0);
  }
  EXPECT_EQ(o.at("total_comments").as_int64(), 0);
  EXPECT_EQ(o.at("total_flags").as_int64(), 0);
}

TEST(FeedbackStatsJson, TotalsAndAverageFollowTheCounts) {
  FeedbackStats stats;
  stats.insight_id = "i";
  stats.rating_distribution = {1, 0, 0, 2, 3};  // 1 + 8 + 15 = 24 over 6
  stats.flag_counts = {1, 0, 2, 4};
  stats.total_comments = 7;
  EXPECT_EQ(stats.total_ratings(), 6);
  EXPECT_EQ(stats.total_flags(), 7);
  EXPECT_DOUBLE_EQ(*stats.average_rating(), 4.0);
  const boost::json::object o = to_json(stats);
  EXPECT_EQ(o.at("total_ratings").as_int64(), 6);
  EXPECT_DOUBLE_EQ(o.at("average_rating").as_double(), 4.0);
  EXPECT_EQ(o.at("rating_distribution").at("5").as_int64(), 3);
  EXPECT_EQ(o.at("flag_types").at("spam").as_int64(), 2);
  EXPECT_EQ(o.at("flag_types").at("other").as_int64(), 4);
  EXPECT_EQ(o.at("total_flags").as_int64(), 7);
  EXPECT_EQ(o.at("total_comments").as_int64(), 7);
}

TEST(FlagTypeNames, RoundTrip) {
  for (const FlagType type : kFlagTypes) EXPECT_EQ(parse_flag_type(to_string(type)), type);
  EXPECT_FALSE(parse_flag_type("Spam"));
  EXPECT_FALSE(parse_flag_type(""));
}

}  // namespace
}  // namespace utxoiq::domain
