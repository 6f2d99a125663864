// Query parameters of the feedback reads: every invalid parameter named, nothing clamped.
#include "domain/feedback_queries.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/rfc3339.hpp"

namespace utxoiq::domain {
namespace {

using Params = std::vector<QueryParams::ViewPair>;

std::vector<std::string> fields_of(const FieldErrors& errors) {
  std::vector<std::string> fields;
  for (const auto& e : errors) {
    EXPECT_FALSE(e.message.empty()) << e.field;
    fields.push_back(e.field);
  }
  return fields;
}

std::string describe(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) out.append(k).append("=").append(v).append("&");
  return out;
}

TEST(FeedbackFilter, DefaultsToNoFiltersAndFifty) {
  const Params none;
  const auto r = parse_feedback_filter(QueryParams(none));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->insight_id || r->user_id || r->rating || r->min_rating || r->max_rating ||
               r->flag_type || r->has_comment || r->from || r->to || r->page.after);
  EXPECT_EQ(r->page.limit, 50);
}

TEST(FeedbackFilter, ReadsEveryFilter) {
  const KeysetCursor cursor{CursorKind::feedback, *parse_rfc3339("2026-01-01T00:00:00Z"),
                            *Uuid::parse("0192f0c4-5b7a-7cde-8f01-23456789abcd")};
  const std::string token = encode_cursor(cursor);
  const Params params{{"insight_id", "i"},
                      {"user_id", "u"},
                      {"rating", "5"},
                      {"min_rating", "1"},
                      {"max_rating", "1"},
                      {"flag_type", "spam"},
                      {"has_comment", "false"},
                      {"from", "2026-11-22T01:00:00+01:00"},
                      {"to", "2026-11-22T00:00:00Z"},  // == from: an empty range, not an error
                      {"limit", "1"},
                      {"cursor", token}};
  const auto r = parse_feedback_filter(QueryParams(params));
  ASSERT_TRUE(r.ok()) << r.errors().front().field;
  EXPECT_EQ(r->insight_id, "i");
  EXPECT_EQ(r->user_id, "u");
  EXPECT_EQ(r->rating, 5);
  EXPECT_EQ(r->min_rating, 1);
  EXPECT_EQ(r->max_rating, 1);
  EXPECT_EQ(r->flag_type, FlagType::spam);
  EXPECT_EQ(r->has_comment, false);
  EXPECT_EQ(r->from, parse_rfc3339("2026-11-22T00:00:00Z"));
  EXPECT_EQ(r->to, r->from);
  EXPECT_EQ(r->page.limit, 1);
  EXPECT_EQ(r->page.after, cursor);

  const Params yes{{"has_comment", "true"}, {"limit", "500"}};
  const auto t = parse_feedback_filter(QueryParams(yes));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->has_comment, true);
  EXPECT_EQ(t->page.limit, 500);
}

TEST(FeedbackFilter, NamesEveryInvalidParameter) {
  struct Case {
    Params params;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {{{"rating", "7"}, {"has_comment", "maybe"}, {"limit", "0"}},
       {"rating", "has_comment", "limit"}},
      {{{"insight_id", ""},
        {"user_id", std::string_view("\xC3", 1)},
        {"min_rating", "0"},
        {"max_rating", "6"},
        {"flag_type", "rude"}},
       {"insight_id", "user_id", "min_rating", "max_rating", "flag_type"}},
      {{{"from", "2026-11-22T01:00:00"}, {"to", "yesterday"}, {"cursor", "!!"}},
       {"from", "to", "cursor"}},
      {{{"min_rating", "4"}, {"max_rating", "2"}}, {"min_rating"}},
      {{{"from", "2026-11-22T01:00:00.000001Z"}, {"to", "2026-11-22T01:00:00Z"}}, {"from"}},
      {{{"rating", "3.0"}}, {"rating"}},
      {{{"rating", ""}}, {"rating"}},
      {{{"has_comment", "1"}}, {"has_comment"}},
      {{{"has_comment", "True"}}, {"has_comment"}},
      {{{"limit", "501"}}, {"limit"}},
      {{{"rating", "1"}, {"rating", "2"}}, {"rating"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_feedback_filter(QueryParams(c.params));
    ASSERT_FALSE(r.ok()) << describe(c.params);
    EXPECT_EQ(fields_of(r.errors()), c.fields) << describe(c.params);
  }
}

TEST(FeedbackFilter, RefusesACursorOfAnotherList) {
  const std::string backfill =
      encode_cursor(KeysetCursor{CursorKind::backfill_jobs, Timestamp{}, Uuid{}});
  const Params params{{"cursor", backfill}};
  const auto r = parse_feedback_filter(QueryParams(params));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fields_of(r.errors()), std::vector<std::string>{"cursor"});
}

TEST(CommentsQuery, RequiresTheInsight) {
  const Params ok{{"insight_id", "i-9"}, {"limit", "10"}};
  const auto r = parse_comments_query(QueryParams(ok));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->insight_id, "i-9");
  EXPECT_EQ(r->page.limit, 10);

  const Params missing{{"limit", "0"}};
  const auto bad = parse_comments_query(QueryParams(missing));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(fields_of(bad.errors()), (std::vector<std::string>{"insight_id", "limit"}));
}

TEST(UserFeedbackQuery, RequiresTheUser) {
  const Params ok{{"user_id", "alice"}};
  const auto r = parse_user_feedback_query(QueryParams(ok));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->user_id, "alice");
  EXPECT_EQ(r->page.limit, 50);

  const std::string too_long(101, 'a');
  const Params bad_params{{"user_id", too_long}, {"cursor", "x"}};
  const auto bad = parse_user_feedback_query(QueryParams(bad_params));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(fields_of(bad.errors()), (std::vector<std::string>{"user_id", "cursor"}));
}

TEST(StatsQuery, RequiresTheInsight) {
  const Params ok{{"insight_id", "i"}};
  EXPECT_EQ(parse_stats_query(QueryParams(ok)).value(), "i");
  const Params none;
  const auto bad = parse_stats_query(QueryParams(none));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(fields_of(bad.errors()), std::vector<std::string>{"insight_id"});
}

}  // namespace
}  // namespace utxoiq::domain
