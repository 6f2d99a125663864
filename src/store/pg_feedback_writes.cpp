// The writes of PgFeedback (see pg_feedback.hpp): one statement each, so each is atomic without an
// explicit transaction, also when many requests for the same (insight_id, user_id) race.
//
// INSERT ... ON CONFLICT DO UPDATE either inserts the record or, if one exists (or a concurrent
// insert of the same pair committed first), updates only the fields of this kind of feedback in
// the existing row, under its row lock: concurrent calls are applied one after another and none is
// lost. (xmax = 0) holds only for a row version this statement inserted: an updated row carries
// our transaction id in xmax (the lock of ON CONFLICT DO UPDATE), which tells 201 from 200.
// The statistics triggers run inside the same statement's transaction.
#include <algorithm>

#include "pg/pool.hpp"
#include "store/internal/feedback_rows.hpp"
#include "store/internal/sql_values.hpp"
#include "store/pg_feedback.hpp"
#include "store/statement_tables.hpp"

namespace utxoiq::store {

namespace {

std::string upsert_sql(std::string_view insert_columns, std::string_view values,
                       std::string_view update_set) {
  return "INSERT INTO insight_feedback (id, insight_id, user_id, " + std::string(insert_columns) +
         ") VALUES ($1, $2, $3, " + std::string(values) +
         ") ON CONFLICT (insight_id, user_id) DO UPDATE SET " + std::string(update_set) +
         ", updated_at = now() RETURNING " + std::string(detail::kFeedbackColumns) +
         ", (xmax = 0) AS created";
}

const std::string kRateSql = upsert_sql("rating", "$4", "rating = EXCLUDED.rating");
const std::string kCommentSql = upsert_sql("comment", "$4", "comment = EXCLUDED.comment");
// A flag without a reason sets the reason to null (api.md), so both columns are replaced.
const std::string kFlagSql = upsert_sql("flag_type, flag_reason", "$4, $5",
                                        "flag_type = EXCLUDED.flag_type, "
                                        "flag_reason = EXCLUDED.flag_reason");

// One row per insight the user had feedback on, with how many records were erased there (one,
// by the uniqueness of (insight_id, user_id), but counted rather than assumed).
constexpr std::string_view kEraseUserSql =
    "WITH erased AS (DELETE FROM insight_feedback WHERE user_id = $1 RETURNING insight_id) "
    "SELECT insight_id, count(*) FROM erased GROUP BY insight_id";

constexpr auto kWrite = pg::StatementAccess::write;
const pg::TaggedSql kRate{{"feedback", "rate", kWrite}, kRateSql};
const pg::TaggedSql kComment{{"feedback", "comment", kWrite}, kCommentSql};
const pg::TaggedSql kFlag{{"feedback", "flag", kWrite}, kFlagSql};
const pg::TaggedSql kEraseUser{{"feedback", "erase_user", kWrite}, kEraseUserSql};
const pg::TaggedSql kTable[] = {kRate, kComment, kFlag, kEraseUser};

}  // namespace

std::span<const pg::TaggedSql> feedback_write_statements() {
  return kTable;
}

Task<FeedbackWrite> PgFeedback::upsert(const pg::TaggedSql& statement, pg::Params params) {
  const pg::Result result = co_await pool_.execute(statement, std::move(params));
  FeedbackWrite write;
  write.feedback = detail::feedback_from_row(result, 0);
  write.created = result.boolean(0, detail::kFeedbackColumnCount);
  std::vector<std::string> changed{
      write.feedback.insight_id};  // GCC 12: no braced list in co_await
  co_await listeners_.notify(std::move(changed));
  co_return write;
}

Task<FeedbackWrite> PgFeedback::rate(const domain::RateFeedback& request) {
  co_return co_await upsert(kRate, pg::params(sql_uuid(new_uuid_v7()), request.insight_id,
                                              request.user_id, request.rating));
}

Task<FeedbackWrite> PgFeedback::comment(const domain::CommentFeedback& request) {
  co_return co_await upsert(kComment, pg::params(sql_uuid(new_uuid_v7()), request.insight_id,
                                                 request.user_id, request.comment));
}

Task<FeedbackWrite> PgFeedback::flag(const domain::FlagFeedback& request) {
  co_return co_await upsert(
      kFlag, pg::params(sql_uuid(new_uuid_v7()), request.insight_id, request.user_id,
                        std::string(to_string(request.flag_type)), request.flag_reason));
}

Task<std::int64_t> PgFeedback::erase_user(const std::string& user_id) {
  const pg::Result result = co_await pool_.execute(kEraseUser, pg::params(user_id));
  std::int64_t deleted = 0;
  std::vector<std::string> insights;
  insights.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    insights.emplace_back(result.text(row, 0));
    deleted += result.int64(row, 1);
  }
  if (!insights.empty()) co_await listeners_.notify(std::move(insights));
  co_return deleted;
}

}  // namespace utxoiq::store
