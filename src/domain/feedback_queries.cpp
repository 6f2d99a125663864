// Validation of the feedback query parameters.
#include "domain/feedback_queries.hpp"

#include "domain/feedback_requests.hpp"
#include "domain/query_fields.hpp"

namespace utxoiq::domain {

namespace {

std::optional<int> read_rating(QueryFields& fields, std::string_view name) {
  const auto n = fields.integer(name, Presence::optional, kMinRating, kMaxRating);
  if (!n) return std::nullopt;
  return static_cast<int>(*n);
}

}  // namespace

Validated<FeedbackFilter> parse_feedback_filter(const QueryParams& params) {
  FieldErrors errors;
  QueryFields fields(params, errors);
  FeedbackFilter filter;
  filter.insight_id = fields.text("insight_id", Presence::optional, kInsightIdRule);
  filter.user_id = fields.text("user_id", Presence::optional, kUserIdRule);
  filter.rating = read_rating(fields, "rating");
  filter.min_rating = read_rating(fields, "min_rating");
  filter.max_rating = read_rating(fields, "max_rating");
  if (const auto type = fields.raw("flag_type", Presence::optional)) {
    filter.flag_type = parse_flag_type(*type);
    if (!filter.flag_type) {
      fields.fail("flag_type", "must be one of inaccurate, misleading, spam, other");
    }
  }
  filter.has_comment = fields.boolean("has_comment", Presence::optional);
  filter.from = fields.timestamp("from", Presence::optional);
  filter.to = fields.timestamp("to", Presence::optional);
  filter.page = read_page(fields, CursorKind::feedback);
  if (filter.min_rating && filter.max_rating && *filter.min_rating > *filter.max_rating) {
    fields.fail("min_rating", "must not be greater than max_rating");
  }
  if (filter.from && filter.to && *filter.from > *filter.to) {
    fields.fail("from", "must not be after to");
  }
  if (!errors.empty()) return errors;
  return filter;
}

Validated<CommentsQuery> parse_comments_query(const QueryParams& params) {
  FieldErrors errors;
  QueryFields fields(params, errors);
  auto insight_id = fields.text("insight_id", Presence::required, kInsightIdRule);
  PageRequest page = read_page(fields, CursorKind::feedback);
  if (!errors.empty()) return errors;
  return CommentsQuery{std::move(*insight_id), page};
}

Validated<UserFeedbackQuery> parse_user_feedback_query(const QueryParams& params) {
  FieldErrors errors;
  QueryFields fields(params, errors);
  auto user_id = fields.text("user_id", Presence::required, kUserIdRule);
  PageRequest page = read_page(fields, CursorKind::feedback);
  if (!errors.empty()) return errors;
  return UserFeedbackQuery{std::move(*user_id), page};
}

Validated<std::string> parse_stats_query(const QueryParams& params) {
  FieldErrors errors;
  QueryFields fields(params, errors);
  auto insight_id = fields.text("insight_id", Presence::required, kInsightIdRule);
  if (!errors.empty()) return errors;
  return std::move(*insight_id);
}

}  // namespace utxoiq::domain
