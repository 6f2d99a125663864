#pragma once
// The column list the feedback queries select and its reader, shared by the read and write halves
// of PgFeedback (internal to store/).
#include <string_view>

#include "domain/feedback.hpp"
#include "pg/result.hpp"

namespace utxoiq::store::detail {

// Every feedback query returns these columns first, in this order.
inline constexpr std::string_view kFeedbackColumns =
    "id, insight_id, user_id, rating, comment, flag_type, flag_reason, created_at, updated_at";
inline constexpr int kFeedbackColumnCount = 9;

domain::Feedback feedback_from_row(const pg::Result& result, int row);

}  // namespace utxoiq::store::detail
