// See feedback_rows.hpp.
#include "store/internal/feedback_rows.hpp"

#include "pg/errors.hpp"
#include "store/internal/sql_values.hpp"

namespace utxoiq::store::detail {

domain::Feedback feedback_from_row(const pg::Result& r, int row) {
  domain::Feedback f;
  f.id = row_uuid(r, row, 0);
  f.insight_id = std::string(r.text(row, 1));
  f.user_id = std::string(r.text(row, 2));
  if (const auto rating = r.optional_int64(row, 3)) f.rating = static_cast<int>(*rating);
  f.comment = row_optional_text(r, row, 4);
  if (const auto type = r.optional_text(row, 5)) {
    f.flag_type = domain::parse_flag_type(*type);
    if (!f.flag_type) throw pg::DecodeError("insight_feedback.flag_type holds an unknown type");
  }
  f.flag_reason = row_optional_text(r, row, 6);
  f.created_at = row_time(r, row, 7);
  f.updated_at = row_time(r, row, 8);
  return f;
}

}  // namespace utxoiq::store::detail
