// Validation of the feedback request bodies.
#include "domain/feedback_requests.hpp"

#include <boost/json/array.hpp>

#include "domain/json_fields.hpp"

namespace utxoiq::domain {

namespace {

constexpr std::string_view kFlagTypeMessage = "must be one of inaccurate, misleading, spam, other";

// insight_id and user_id, common to the three writes.
struct Pair {
  std::optional<std::string> insight_id;
  std::optional<std::string> user_id;
};

Pair read_pair(JsonFields& fields) {
  Pair pair;
  pair.insight_id = fields.text("insight_id", Presence::required, kInsightIdRule);
  pair.user_id = fields.text("user_id", Presence::required, kUserIdRule);
  return pair;
}

}  // namespace

Validated<RateFeedback> parse_rate_feedback(const boost::json::object& body) {
  FieldErrors errors;
  JsonFields fields(body, errors);
  Pair pair = read_pair(fields);
  const auto rating = fields.integer("rating", Presence::required, kMinRating, kMaxRating);
  if (!errors.empty()) return errors;
  return RateFeedback{std::move(*pair.insight_id), std::move(*pair.user_id),
                      static_cast<int>(*rating)};
}

Validated<CommentFeedback> parse_comment_feedback(const boost::json::object& body) {
  FieldErrors errors;
  JsonFields fields(body, errors);
  Pair pair = read_pair(fields);
  auto comment = fields.text("comment", Presence::required, kCommentRule);
  if (!errors.empty()) return errors;
  return CommentFeedback{std::move(*pair.insight_id), std::move(*pair.user_id),
                         std::move(*comment)};
}

Validated<FlagFeedback> parse_flag_feedback(const boost::json::object& body) {
  FieldErrors errors;
  JsonFields fields(body, errors);
  Pair pair = read_pair(fields);
  std::optional<FlagType> type;
  if (const boost::json::value* v = fields.find("flag_type")) {
    if (v->is_string()) {
      const auto& s = v->get_string();
      type = parse_flag_type(std::string_view(s.data(), s.size()));
    }
    if (!type) fields.fail("flag_type", std::string(kFlagTypeMessage));
  } else {
    fields.fail("flag_type", "is required");
  }
  auto reason = fields.text("flag_reason", Presence::optional, kFlagReasonRule);
  if (!errors.empty()) return errors;
  return FlagFeedback{std::move(*pair.insight_id), std::move(*pair.user_id), *type,
                      std::move(reason)};
}

Validated<StatsBatchRequest> parse_stats_batch(const boost::json::object& body) {
  FieldErrors errors;
  JsonFields fields(body, errors);
  const boost::json::value* v = fields.find("insight_ids");
  if (v == nullptr) return FieldErrors{{"insight_ids", "is required"}};
  if (!v->is_array()) return FieldErrors{{"insight_ids", "must be an array"}};
  const boost::json::array& ids = v->get_array();
  if (ids.empty() || ids.size() > kMaxStatsBatch) {
    return FieldErrors{{"insight_ids", "must have 1 to 500 elements"}};
  }
  StatsBatchRequest request;
  request.insight_ids.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto field = [i] { return "insight_ids[" + std::to_string(i) + "]"; };
    if (!ids[i].is_string()) {
      errors.push_back({field(), "must be a string"});
      continue;
    }
    const auto& s = ids[i].get_string();
    const std::string_view id(s.data(), s.size());
    if (auto problem = check_text(id, kInsightIdRule)) {
      errors.push_back({field(), std::move(*problem)});
      continue;
    }
    request.insight_ids.emplace_back(id);
  }
  if (!errors.empty()) return errors;
  return request;
}

Validated<std::string> parse_user_id_path(std::string_view path_segment) {
  if (auto problem = check_text(path_segment, kUserIdRule)) {
    return FieldErrors{{"user_id", std::move(*problem)}};
  }
  return std::string(path_segment);
}

}  // namespace utxoiq::domain
