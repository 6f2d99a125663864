// See feedback_rate_batcher.hpp. The requests wait on a timer each (cancelled when their answer
// is in), the batches are written by one coroutine that runs while requests are queued.
#include "store/feedback_rate_batcher.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <deque>
#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include "pg/errors.hpp"
#include "pg/pool.hpp"
#include "store/internal/feedback_rows.hpp"
#include "store/internal/rate_batch.hpp"

namespace utxoiq::store {

namespace asio = boost::asio;

namespace {

// One request waiting for its batch; shared with the writing coroutine.
struct Pending {
  Pending(domain::RateFeedback r, asio::any_io_executor executor)
      : request(std::move(r)), timer(executor, asio::steady_timer::time_point::max()) {}
  domain::RateFeedback request;
  asio::steady_timer timer;
  std::optional<FeedbackWrite> result;
  std::exception_ptr error;
  bool done = false;
};

using Batch = std::vector<std::shared_ptr<Pending>>;

// Errors of the rows rather than of the database: data exceptions (22), integrity violations
// (23), and a transaction rolled back by a deadlock or serialization failure (40).
bool worth_writing_alone(const std::string& sqlstate) {
  return sqlstate.starts_with("22") || sqlstate.starts_with("23") || sqlstate.starts_with("40");
}

// Writes `requests` in one statement; one answer per request, in their order.
Task<std::vector<FeedbackWrite>> write_together(pg::Pool& pool,
                                                const std::vector<domain::RateFeedback>& requests) {
  const detail::RateBatchPlan plan(requests);
  const pg::Result result = co_await pool.execute(detail::kRateBatchSql, plan.params());
  std::vector<FeedbackWrite> written;
  written.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    written.push_back({detail::feedback_from_row(result, row),
                       result.boolean(row, detail::kFeedbackColumnCount)});
  }
  co_return plan.answers(written);
}

// Fills the result or error of every request of `batch`; never throws.
Task<void> write_batch(pg::Pool& pool, const Batch& batch) {
  std::vector<domain::RateFeedback> requests;
  requests.reserve(batch.size());
  for (const auto& pending : batch) requests.push_back(pending->request);
  bool alone = false;
  try {
    std::vector<FeedbackWrite> answers = co_await write_together(pool, requests);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(answers[i]);
    co_return;
  } catch (const pg::QueryError& e) {
    alone = batch.size() > 1 && worth_writing_alone(e.sqlstate());
    if (!alone) {
      for (const auto& pending : batch) pending->error = std::current_exception();
    }
  } catch (...) {
    for (const auto& pending : batch) pending->error = std::current_exception();
  }
  if (!alone) co_return;
  for (const auto& pending : batch) {
    try {
      const std::vector<domain::RateFeedback> one{pending->request};
      pending->result = (co_await write_together(pool, one)).front();
    } catch (...) {
      pending->error = std::current_exception();
    }
  }
}

}  // namespace

struct FeedbackRateBatcher::State {
  pg::Pool* pool;  // null once the batcher is gone
  std::size_t max_batch;
  std::deque<std::shared_ptr<Pending>> queue;
  bool writing = false;  // the writing coroutine runs
};

namespace {

// Writes batches while requests are queued, then ends.
Task<void> write_queued(std::shared_ptr<FeedbackRateBatcher::State> state) {
  assert(state->writing);
  // Yield once, so that the requests already queued in this turn of the loop join the first batch
  // (co_spawn may start this coroutine inline, from the first request).
  co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  while (!state->queue.empty()) {
    const std::size_t n = std::min(state->queue.size(), state->max_batch);
    Batch batch(state->queue.begin(), state->queue.begin() + static_cast<std::ptrdiff_t>(n));
    state->queue.erase(state->queue.begin(), state->queue.begin() + static_cast<std::ptrdiff_t>(n));
    if (state->pool) {
      co_await write_batch(*state->pool, batch);
    } else {
      const auto gone = std::make_exception_ptr(pg::ConnectionError("feedback writer stopped"));
      for (const auto& pending : batch) pending->error = gone;
    }
    for (const auto& pending : batch) {
      pending->done = true;
      pending->timer.cancel();
    }
  }
  state->writing = false;
}

}  // namespace

FeedbackRateBatcher::FeedbackRateBatcher(pg::Pool& pool, std::size_t max_batch)
    : state_(std::make_shared<State>(State{&pool, max_batch, {}, false})) {
  assert(max_batch >= 1);
}

FeedbackRateBatcher::~FeedbackRateBatcher() {
  state_->pool = nullptr;
}

Task<FeedbackWrite> FeedbackRateBatcher::rate(domain::RateFeedback request) {
  const auto executor = co_await asio::this_coro::executor;
  auto pending = std::make_shared<Pending>(std::move(request), executor);
  state_->queue.push_back(pending);
  if (!state_->writing) {
    state_->writing = true;
    asio::co_spawn(executor, write_queued(state_), asio::detached);
  }
  co_await pending->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!pending->done) {  // our own caller was cancelled; the write may still happen
    throw boost::system::system_error(asio::error::operation_aborted);
  }
  if (pending->error) std::rethrow_exception(pending->error);
  co_return std::move(*pending->result);
}

}  // namespace utxoiq::store
