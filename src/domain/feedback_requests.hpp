#pragma once
// The request bodies and path parameters of the feedback endpoints (api.md, "Feedback") and their
// validation. Each parse_* returns the typed request or every invalid field at once.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/feedback.hpp"
#include "domain/text_rule.hpp"
#include "domain/validated.hpp"

namespace utxoiq::domain {

inline constexpr TextRule kInsightIdRule{1, 100, Charset::any};
inline constexpr TextRule kUserIdRule{1, 100, Charset::any};
inline constexpr TextRule kCommentRule{1, 5'000, Charset::any};
inline constexpr TextRule kFlagReasonRule{0, 2'000, Charset::any};
inline constexpr std::size_t kMaxStatsBatch = 500;

// POST /api/v1/feedback/rate: {insight_id, user_id, rating}, rating an integer 1–5.
struct RateFeedback {
  std::string insight_id;
  std::string user_id;
  int rating = 0;
};
Validated<RateFeedback> parse_rate_feedback(const boost::json::object& body);

// POST /api/v1/feedback/comment: {insight_id, user_id, comment}, comment 1–5,000 characters.
struct CommentFeedback {
  std::string insight_id;
  std::string user_id;
  std::string comment;
};
Validated<CommentFeedback> parse_comment_feedback(const boost::json::object& body);

// POST /api/v1/feedback/flag: {insight_id, user_id, flag_type, flag_reason?}; flag_reason at most
// 2,000 characters, absent or null meaning none (the stored reason becomes null).
struct FlagFeedback {
  std::string insight_id;
  std::string user_id;
  FlagType flag_type = FlagType::other;
  std::optional<std::string> flag_reason;
};
Validated<FlagFeedback> parse_flag_feedback(const boost::json::object& body);

// POST /api/v1/feedback/stats/batch: {insight_ids: [...]}, 1–500 ids, each as insight_id; a bad
// element is named "insight_ids[3]". Order and repeats are kept (the answer has the same order).
struct StatsBatchRequest {
  std::vector<std::string> insight_ids;
};
Validated<StatsBatchRequest> parse_stats_batch(const boost::json::object& body);

// The {user_id} path segment of DELETE /api/v1/feedback/user/{user_id}; errors name "user_id".
Validated<std::string> parse_user_id_path(std::string_view path_segment);

}  // namespace utxoiq::domain
