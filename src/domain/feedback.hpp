#pragma once
// Feedback on insights (api.md, "Feedback"): one record per (insight_id, user_id), the flag types,
// the per-insight statistics, and their JSON forms. The store fills these from rows.
#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {

// A rating is an integer in [kMinRating, kMaxRating] (api.md: 1-5).
inline constexpr int kMinRating = 1;
inline constexpr int kMaxRating = 5;

enum class FlagType { inaccurate, misleading, spam, other };
inline constexpr std::array<FlagType, 4> kFlagTypes{FlagType::inaccurate, FlagType::misleading,
                                                    FlagType::spam, FlagType::other};

// "inaccurate", "misleading", "spam", "other".
std::string_view to_string(FlagType type);
std::optional<FlagType> parse_flag_type(std::string_view text);

struct Feedback {
  Uuid id;
  std::string insight_id;
  std::string user_id;
  std::optional<int> rating;  // kMinRating..kMaxRating
  std::optional<std::string> comment;
  std::optional<FlagType> flag_type;
  std::optional<std::string> flag_reason;
  Timestamp created_at{};
  Timestamp updated_at{};

  bool operator==(const Feedback&) const = default;
};

// {id, insight_id, user_id, rating, comment, flag_type, flag_reason, created_at, updated_at}
boost::json::object to_json(const Feedback& feedback);
// {id, insight_id, user_id, comment, created_at, updated_at}: an item of /feedback/comments.
boost::json::object comment_to_json(const Feedback& feedback);

struct FeedbackStats {
  std::string insight_id;
  // rating_distribution[r - 1] = number of ratings r.
  std::array<std::int64_t, 5> rating_distribution{};
  std::int64_t total_comments = 0;
  // flag_counts[i] = number of flags of kFlagTypes[i].
  std::array<std::int64_t, 4> flag_counts{};

  // Derived from the counts above so they can never disagree.
  std::int64_t total_ratings() const;
  std::int64_t total_flags() const;
  // The mean rating, nullopt when there are no ratings.
  std::optional<double> average_rating() const;

  bool operator==(const FeedbackStats&) const = default;
};

// {insight_id, total_ratings, average_rating, rating_distribution: {"1".."5"}, total_comments,
//  total_flags, flag_types: {"inaccurate", "misleading", "spam", "other"}}: every key always there.
boost::json::object to_json(const FeedbackStats& stats);

}  // namespace utxoiq::domain
