// See batch_queue.hpp. Each submitter waits on a timer of its own, cancelled when its batch is
// done; one coroutine runs the handler while items are queued and then ends.
#include "pg/batch_queue.hpp"

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
#include <utility>

#include "pg/errors.hpp"

namespace utxoiq::pg {

namespace asio = boost::asio;

namespace {

struct Waiting {
  std::shared_ptr<BatchQueue::Item> item;
  std::shared_ptr<asio::steady_timer> timer;
  std::shared_ptr<bool> done;
};

}  // namespace

struct BatchQueue::State {
  asio::any_io_executor executor;  // the batches run here
  std::size_t max_batch;
  Handler handler;  // empty once the queue is gone
  std::deque<Waiting> queue;
  bool running = false;  // the handling coroutine runs
};

namespace {

Task<void> handle(const BatchQueue::State& state, const BatchQueue::Batch& batch) {
  if (!state.handler) {
    const auto gone = std::make_exception_ptr(ConnectionError("batch queue stopped"));
    for (const auto& item : batch) item->error = gone;
    co_return;
  }
  const BatchQueue::Handler handler = state.handler;  // survives the queue's destruction
  try {
    co_await handler(batch);
  } catch (...) {
    for (const auto& item : batch) item->error = std::current_exception();
  }
}

// Handles batches while items are queued, then ends.
Task<void> run(std::shared_ptr<BatchQueue::State> state) {
  assert(state->running);
  // Yield once, so that the items queued in this turn of the loop join the first batch (co_spawn
  // may start this coroutine inline, from the first submit()).
  co_await asio::post(state->executor, asio::use_awaitable);
  while (!state->queue.empty()) {
    const auto n = static_cast<std::ptrdiff_t>(std::min(state->queue.size(), state->max_batch));
    std::vector<Waiting> taken(state->queue.begin(), state->queue.begin() + n);
    state->queue.erase(state->queue.begin(), state->queue.begin() + n);
    BatchQueue::Batch batch;
    batch.reserve(taken.size());
    for (const auto& waiting : taken) batch.push_back(waiting.item);
    co_await handle(*state, batch);
    for (const auto& waiting : taken) {
      *waiting.done = true;
      waiting.timer->cancel();
    }
  }
  state->running = false;
}

}  // namespace

BatchQueue::BatchQueue(asio::any_io_executor executor, std::size_t max_batch, Handler handler)
    : state_(std::make_shared<State>(
          State{std::move(executor), max_batch, std::move(handler), {}, false})) {
  assert(max_batch >= 1);
  assert(state_->handler);
}

BatchQueue::~BatchQueue() {
  state_->handler = nullptr;
}

Task<void> BatchQueue::submit(std::shared_ptr<Item> item) {
  assert(item);
  const auto executor = co_await asio::this_coro::executor;
  auto timer =
      std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
  auto done = std::make_shared<bool>(false);
  state_->queue.push_back({item, timer, done});
  if (!state_->running) {
    state_->running = true;
    asio::co_spawn(state_->executor, run(state_), asio::detached);
  }
  co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
  if (!*done) {  // our own caller was cancelled; the batch may still handle the item
    throw boost::system::system_error(asio::error::operation_aborted);
  }
  if (item->error) std::rethrow_exception(item->error);
}

}  // namespace utxoiq::pg
