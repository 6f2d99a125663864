// Feedback records and statistics: names and JSON forms.
#include "domain/feedback.hpp"

#include "domain/json_out.hpp"

namespace utxoiq::domain {

namespace {

constexpr std::array<std::string_view, 5> kRatingKeys{"1", "2", "3", "4", "5"};

}  // namespace

std::string_view to_string(FlagType type) {
  switch (type) {
    case FlagType::inaccurate:
      return "inaccurate";
    case FlagType::misleading:
      return "misleading";
    case FlagType::spam:
      return "spam";
    case FlagType::other:
      return "other";
  }
  return "other";
}

std::optional<FlagType> parse_flag_type(std::string_view text) {
  for (const FlagType type : kFlagTypes) {
    if (to_string(type) == text) return type;
  }
  return std::nullopt;
}

boost::json::object to_json(const Feedback& feedback) {
  boost::json::object o;
  o.reserve(9);
  o.emplace("id", json_uuid(feedback.id));
  o.emplace("insight_id", feedback.insight_id);
  o.emplace("user_id", feedback.user_id);
  if (feedback.rating) {
    o.emplace("rating", *feedback.rating);
  } else {
    o.emplace("rating", nullptr);
  }
  o.emplace("comment", json_text(feedback.comment));
  if (feedback.flag_type) {
    o.emplace("flag_type", to_string(*feedback.flag_type));
  } else {
    o.emplace("flag_type", nullptr);
  }
  o.emplace("flag_reason", json_text(feedback.flag_reason));
  o.emplace("created_at", json_timestamp(feedback.created_at));
  o.emplace("updated_at", json_timestamp(feedback.updated_at));
  return o;
}

boost::json::object comment_to_json(const Feedback& feedback) {
  boost::json::object o;
  o.reserve(6);
  o.emplace("id", json_uuid(feedback.id));
  o.emplace("insight_id", feedback.insight_id);
  o.emplace("user_id", feedback.user_id);
  o.emplace("comment", json_text(feedback.comment));
  o.emplace("created_at", json_timestamp(feedback.created_at));
  o.emplace("updated_at", json_timestamp(feedback.updated_at));
  return o;
}

std::int64_t FeedbackStats::total_ratings() const {
  std::int64_t total = 0;
  for (const std::int64_t n : rating_distribution) total += n;
  return total;
}

std::int64_t FeedbackStats::total_flags() const {
  std::int64_t total = 0;
  for (const std::int64_t n : flag_counts) total += n;
  return total;
}

std::optional<double> FeedbackStats::average_rating() const {
  const std::int64_t total = total_ratings();
  if (total == 0) return std::nullopt;
  long double sum = 0;
  for (std::size_t i = 0; i < rating_distribution.size(); ++i) {
    sum += static_cast<long double>(rating_distribution[i]) * static_cast<long double>(i + 1);
  }
  return static_cast<double>(sum / total);
}

boost::json::object to_json(const FeedbackStats& stats) {
  boost::json::object distribution;
  distribution.reserve(5);
  for (std::size_t i = 0; i < kRatingKeys.size(); ++i) {
    distribution.emplace(kRatingKeys[i], stats.rating_distribution[i]);
  }
  boost::json::object flags;
  flags.reserve(4);
  for (std::size_t i = 0; i < kFlagTypes.size(); ++i) {
    flags.emplace(to_string(kFlagTypes[i]), stats.flag_counts[i]);
  }
  boost::json::object o;
  o.reserve(7);
  o.emplace("insight_id", stats.insight_id);
  o.emplace("total_ratings", stats.total_ratings());
  if (const auto average = stats.average_rating()) {
    o.emplace("average_rating", *average);
  } else {
    o.emplace("average_rating", nullptr);
  }
  o.emplace("rating_distribution", std::move(distribution));
  o.emplace("total_comments", stats.total_comments);
  o.emplace("total_flags", stats.total_flags());
  o.emplace("flag_types", std::move(flags));
  return o;
}

}  // namespace utxoiq::domain
