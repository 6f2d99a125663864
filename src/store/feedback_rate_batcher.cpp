// See feedback_rate_batcher.hpp.
#include "store/feedback_rate_batcher.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "pg/errors.hpp"
#include "pg/pool.hpp"
#include "store/internal/batch_or_each.hpp"
#include "store/internal/feedback_rows.hpp"
#include "store/internal/rate_batch.hpp"

namespace utxoiq::store {

namespace {

// One rating waiting for its batch.
struct PendingRating : pg::BatchQueue::Item {
  explicit PendingRating(domain::RateFeedback r) : request(std::move(r)) {}
  domain::RateFeedback request;
  std::optional<FeedbackWrite> result;
};

// Writes `requests` in one statement; one answer per request, in their order.
Task<std::vector<FeedbackWrite>> write_together(pg::Pool& pool,
                                                const std::vector<domain::RateFeedback>& requests) {
  const detail::RateBatchPlan plan(requests);
  const pg::Result result = co_await pool.execute(detail::rate_batch_statement(), plan.params());
  std::vector<FeedbackWrite> written;
  written.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    written.push_back({detail::feedback_from_row(result, row),
                       result.boolean(row, detail::kFeedbackColumnCount)});
  }
  co_return plan.answers(written);
}

// Writes the ratings of `batch` in one statement, or one by one when a row fails it (the rule of
// internal/batch_or_each.hpp), and fills each one's result or error; never throws.
Task<void> write_rows(pg::Pool& pool, const pg::BatchQueue::Batch& batch) {
  std::vector<domain::RateFeedback> requests;
  requests.reserve(batch.size());
  for (const auto& item : batch) requests.push_back(pg::item_as<PendingRating>(item).request);
  co_await detail::write_batch_or_each(
      batch,
      [&pool, &requests, &batch]() -> Task<void> {
        std::vector<FeedbackWrite> answers = co_await write_together(pool, requests);
        for (std::size_t i = 0; i < batch.size(); ++i) {
          pg::item_as<PendingRating>(batch[i]).result = std::move(answers[i]);
        }
      },
      [&pool](const detail::BatchItem& item) -> Task<void> {
        const std::vector<domain::RateFeedback> one{pg::item_as<PendingRating>(item).request};
        pg::item_as<PendingRating>(item).result = (co_await write_together(pool, one)).front();
      });
}

// Writes the batch, then tells `committed` of the insights it changed, each once, before any
// of its requests is answered.
Task<void> write_batch(pg::Pool& pool, const FeedbackRateBatcher::Committed& committed,
                       const pg::BatchQueue::Batch& batch) {
  co_await write_rows(pool, batch);
  std::vector<std::string> insights;
  for (const auto& item : batch) {
    const std::optional<FeedbackWrite>& result = pg::item_as<PendingRating>(item).result;
    if (result) insights.push_back(result->feedback.insight_id);
  }
  std::sort(insights.begin(), insights.end());
  insights.erase(std::unique(insights.begin(), insights.end()), insights.end());
  if (!insights.empty()) co_await committed(std::move(insights));
}

}  // namespace

FeedbackRateBatcher::FeedbackRateBatcher(pg::Pool& pool, Committed committed, std::size_t max_batch)
    : queue_(pool.executor(), max_batch,
             [&pool, committed = std::move(committed)](const pg::BatchQueue::Batch& batch) {
               return write_batch(pool, committed, batch);
             }) {}

Task<FeedbackWrite> FeedbackRateBatcher::rate(domain::RateFeedback request) {
  auto item = std::make_shared<PendingRating>(std::move(request));
  co_await queue_.submit(item);
  co_return std::move(*item->result);
}

}  // namespace utxoiq::store
