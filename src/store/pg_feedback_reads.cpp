// The reads of PgFeedback (see pg_feedback.hpp): statistics from the aggregate table (the single
// reads grouped by feedback_stats_batcher.hpp), and keyset pages of records (keyset_page.hpp),
// newest created_at first. The constructor is here too: it wires both batchers.
#include <algorithm>
#include <unordered_map>
#include <utility>

#include "pg/pool.hpp"
#include "store/internal/feedback_rows.hpp"
#include "store/internal/keyset_page.hpp"
#include "store/internal/query_builder.hpp"
#include "store/internal/sql_values.hpp"
#include "store/pg_feedback.hpp"
#include "store/statement_tables.hpp"

namespace utxoiq::store {

namespace {

using domain::FeedbackStats;

constexpr std::string_view kStatsColumns =
    "SELECT insight_id, rating_1, rating_2, rating_3, rating_4, rating_5, total_comments, "
    "flag_inaccurate, flag_misleading, flag_spam, flag_other FROM insight_feedback_stats";
const std::string kStatsManySql =
    std::string(kStatsColumns) + " WHERE insight_id = ANY($1::varchar[])";
const std::string kRecordsSql =
    "SELECT " + std::string(detail::kFeedbackColumns) + " FROM insight_feedback";

constexpr auto kRead = pg::StatementAccess::read;
// stats() of single insights, grouped by FeedbackStatsBatcher: the same statement as a batch.
const pg::TaggedSql kStatsOne{{"feedback", "stats", kRead}, kStatsManySql};
const pg::TaggedSql kStatsMany{{"feedback", "stats_batch", kRead}, kStatsManySql};
// SQL built at run time from kRecordsSql (query_builder.hpp).
const pg::TaggedSql kList{{"feedback", "list", kRead}, kRecordsSql};
const pg::TaggedSql kComments{{"feedback", "comments", kRead}, kRecordsSql};
const pg::TaggedSql kByUser{{"feedback", "by_user", kRead}, kRecordsSql};
const pg::TaggedSql kTable[] = {kStatsOne, kStatsMany, kList, kComments, kByUser};

// The column order of kStatsColumns; flag columns follow domain::kFlagTypes' order.
FeedbackStats stats_from_row(const pg::Result& r, int row) {
  FeedbackStats stats;
  stats.insight_id = std::string(r.text(row, 0));
  for (int i = 0; i < 5; ++i)
    stats.rating_distribution[static_cast<std::size_t>(i)] = r.int64(row, 1 + i);
  stats.total_comments = r.int64(row, 6);
  for (int i = 0; i < 4; ++i) stats.flag_counts[static_cast<std::size_t>(i)] = r.int64(row, 7 + i);
  return stats;
}

FeedbackStats zero_stats(const std::string& insight_id) {
  FeedbackStats stats;
  stats.insight_id = insight_id;
  return stats;
}

constexpr KeysetOrder kRecordsOrder{"created_at", true, domain::CursorKind::feedback};

Task<FeedbackPage> run_page(pg::Pool& pool, QueryBuilder& q, const domain::PageRequest& page,
                            pg::StatementTag tag) {
  add_keyset_page(q, kRecordsOrder, page);
  const pg::Result result = co_await pool.execute(q.sql(), q.params(), tag);
  FeedbackPage out;
  out.feedback = take_page<domain::Feedback>(
      result, page, kRecordsOrder, detail::feedback_from_row,
      [](const domain::Feedback& f) { return std::pair(f.created_at, f.id); }, &out.next);
  co_return out;
}

}  // namespace

std::span<const pg::TaggedSql> feedback_read_statements() {
  return kTable;
}

PgFeedback::PgFeedback(pg::Pool& pool)
    : pool_(pool),
      ratings_(pool,
               [this](std::vector<std::string> insights) {
                 return listeners_.notify(std::move(insights));
               }),
      stats_reads_(pool.executor(), [this](pg::ReadOrigin origin, std::vector<std::string> ids) {
        return read_stats(kStatsOne, std::move(origin), std::move(ids));
      }) {}

Task<FeedbackStats> PgFeedback::stats(const std::string& insight_id) {
  co_return co_await stats_reads_.stats(insight_id, pg::current_read_origin());
}

Task<std::vector<FeedbackStats>> PgFeedback::stats_batch(const std::vector<std::string>& ids) {
  co_return co_await read_stats(kStatsMany, pg::current_read_origin(), ids);
}

Task<std::vector<FeedbackStats>> PgFeedback::read_stats(const pg::TaggedSql& statement,
                                                        pg::ReadOrigin origin,
                                                        std::vector<std::string> ids) {
  std::vector<std::string> distinct = ids;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  const pg::Result result = co_await pool_.execute_for(origin, statement, pg::params(distinct));

  std::unordered_map<std::string, FeedbackStats> found;
  found.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    FeedbackStats stats = stats_from_row(result, row);
    std::string key = stats.insight_id;
    found.emplace(std::move(key), std::move(stats));
  }
  std::vector<FeedbackStats> ordered;
  ordered.reserve(ids.size());
  for (const auto& id : ids) {
    const auto it = found.find(id);
    ordered.push_back(it != found.end() ? it->second : zero_stats(id));
  }
  co_return ordered;
}

Task<FeedbackPage> PgFeedback::list(const domain::FeedbackFilter& filter) {
  QueryBuilder q(kRecordsSql);
  if (filter.insight_id) q.where("insight_id = " + q.bind(*filter.insight_id));
  if (filter.user_id) q.where("user_id = " + q.bind(*filter.user_id));
  if (filter.rating) q.where("rating = " + q.bind(pg::to_param(*filter.rating)));
  if (filter.min_rating) q.where("rating >= " + q.bind(pg::to_param(*filter.min_rating)));
  if (filter.max_rating) q.where("rating <= " + q.bind(pg::to_param(*filter.max_rating)));
  if (filter.flag_type) q.where("flag_type = " + q.bind(std::string(to_string(*filter.flag_type))));
  if (filter.has_comment) q.where(*filter.has_comment ? "comment IS NOT NULL" : "comment IS NULL");
  if (filter.from) q.where("created_at >= " + q.bind(sql_time(*filter.from)) + "::timestamptz");
  if (filter.to) q.where("created_at < " + q.bind(sql_time(*filter.to)) + "::timestamptz");
  co_return co_await run_page(pool_, q, filter.page, kList.tag);
}

Task<FeedbackPage> PgFeedback::comments(const domain::CommentsQuery& query) {
  QueryBuilder q(kRecordsSql);
  q.where("insight_id = " + q.bind(query.insight_id));
  q.where("comment IS NOT NULL");
  co_return co_await run_page(pool_, q, query.page, kComments.tag);
}

Task<FeedbackPage> PgFeedback::by_user(const domain::UserFeedbackQuery& query) {
  QueryBuilder q(kRecordsSql);
  q.where("user_id = " + q.bind(query.user_id));
  co_return co_await run_page(pool_, q, query.page, kByUser.tag);
}

}  // namespace utxoiq::store
