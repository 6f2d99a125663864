#pragma once
// The insight_feedback table and its per-insight aggregate insight_feedback_stats (migration 0001)
// behind the feedback interfaces of feedback_store.hpp. Statistics are read from the aggregate,
// which triggers keep exact in the same transaction as every write, so reading them costs one
// indexed row per insight however much feedback there is.
#include <vector>

#include "pg/read_origin.hpp"
#include "pg/statement_tag.hpp"
#include "store/feedback_rate_batcher.hpp"
#include "store/feedback_stats_batcher.hpp"
#include "store/feedback_store.hpp"

namespace utxoiq::pg {
class Pool;
}

namespace utxoiq::store {

class PgFeedback final : public FeedbackStatsReader, public FeedbackLister, public FeedbackWriter {
 public:
  explicit PgFeedback(pg::Pool& pool);

  void add_write_listener(FeedbackWriteListener listener) { listeners_.add(std::move(listener)); }

  Task<domain::FeedbackStats> stats(const std::string& insight_id) override;
  Task<std::vector<domain::FeedbackStats>> stats_batch(
      const std::vector<std::string>& insight_ids) override;

  Task<FeedbackPage> list(const domain::FeedbackFilter& filter) override;
  Task<FeedbackPage> comments(const domain::CommentsQuery& query) override;
  Task<FeedbackPage> by_user(const domain::UserFeedbackQuery& query) override;

  Task<FeedbackWrite> rate(const domain::RateFeedback& request) override;
  Task<FeedbackWrite> comment(const domain::CommentFeedback& request) override;
  Task<FeedbackWrite> flag(const domain::FlagFeedback& request) override;
  Task<std::int64_t> erase_user(const std::string& user_id) override;

 private:
  Task<FeedbackWrite> upsert(const pg::TaggedSql& statement, pg::Params params);
  Task<void> notify(const FeedbackWrite& write);  // the write listeners, after commit
  // The statistics of `insight_ids` (one per id, in their order) in one statement run for
  // `origin`.
  Task<std::vector<domain::FeedbackStats>> read_stats(const pg::TaggedSql& statement,
                                                      pg::ReadOrigin origin,
                                                      std::vector<std::string> insight_ids);

  pg::Pool& pool_;
  // rate() goes through it: many ratings, one statement, one notice to the listeners.
  FeedbackRateBatcher ratings_;
  // stats() goes through it: the misses of many requests, one statement.
  FeedbackStatsBatcher stats_reads_;
  WriteListeners<std::vector<std::string>> listeners_{"feedback"};
};

}  // namespace utxoiq::store
