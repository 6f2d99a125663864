#pragma once
// The query parameters of the feedback reads (api.md, "Feedback") and their validation: every
// invalid parameter is named (rating=7, has_comment=maybe, limit=0, ...), nothing is clamped.
#include <optional>
#include <string>

#include "domain/feedback.hpp"
#include "domain/page.hpp"
#include "domain/query_params.hpp"
#include "domain/validated.hpp"
#include "util/time.hpp"

namespace utxoiq::domain {

// GET /api/v1/feedback?insight_id=&user_id=&rating=&min_rating=&max_rating=&flag_type=
//     &has_comment=&from=&to=&limit=&cursor=
// Filters combine with AND; from/to apply to created_at, from inclusive, to exclusive.
struct FeedbackFilter {
  std::optional<std::string> insight_id;  // 1–100 characters
  std::optional<std::string> user_id;     // 1–100 characters
  std::optional<int> rating;              // 1–5
  std::optional<int> min_rating;          // 1–5, not above max_rating (else 422 on min_rating)
  std::optional<int> max_rating;          // 1–5
  std::optional<FlagType> flag_type;
  std::optional<bool> has_comment;  // "true" | "false"
  std::optional<Timestamp> from;    // RFC 3339 with offset, not after `to` (else 422 on from)
  std::optional<Timestamp> to;
  PageRequest page;  // limit 1–500 (default 50), cursor kind feedback; newest created_at first
};
Validated<FeedbackFilter> parse_feedback_filter(const QueryParams& params);

// GET /api/v1/feedback/comments?insight_id=X&limit=&cursor= (insight_id required).
struct CommentsQuery {
  std::string insight_id;
  PageRequest page;
};
Validated<CommentsQuery> parse_comments_query(const QueryParams& params);

// GET /api/v1/feedback/user?user_id=U&limit=&cursor= (user_id required).
struct UserFeedbackQuery {
  std::string user_id;
  PageRequest page;
};
Validated<UserFeedbackQuery> parse_user_feedback_query(const QueryParams& params);

// GET /api/v1/feedback/stats?insight_id=X (required): the insight id.
Validated<std::string> parse_stats_query(const QueryParams& params);

}  // namespace utxoiq::domain
