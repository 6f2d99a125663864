// See periodic_task.hpp.
#include "app/periodic_task.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "obs/logging.hpp"

namespace utxoiq::app {

namespace asio = boost::asio;

struct PeriodicTask::State {
  State(asio::any_io_executor executor, std::string task_name, std::chrono::milliseconds every,
        std::function<Task<void>()> task)
      : name(std::move(task_name)),
        interval(every),
        work(std::move(task)),
        timer(executor),
        finished(executor) {}

  std::string name;
  std::chrono::milliseconds interval;
  std::function<Task<void>()> work;
  asio::steady_timer timer;
  asio::steady_timer finished;  // cancelled when the loop has ended, to wake stop()
  bool running = false;
  bool stopping = false;
  bool failing = false;
};

namespace {

Task<void> loop(std::shared_ptr<PeriodicTask::State> state) {
  constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
  while (!state->stopping) {
    state->timer.expires_after(state->interval);
    co_await state->timer.async_wait(kTuple);
    if (state->stopping) break;
    try {
      co_await state->work();
      if (state->failing) obs::log_info(state->name + " works again");
      state->failing = false;
    } catch (const std::exception& e) {
      if (!state->failing) obs::log_warn(state->name + " failed", {{"error", e.what()}});
      state->failing = true;
    }
  }
  state->running = false;
  state->finished.cancel();
}

}  // namespace

PeriodicTask::PeriodicTask(asio::any_io_executor executor, std::string name,
                           std::chrono::milliseconds interval, std::function<Task<void>()> work)
    : state_(std::make_shared<State>(executor, std::move(name), interval, std::move(work))) {}

PeriodicTask::~PeriodicTask() {
  state_->stopping = true;
  state_->timer.cancel();
}

void PeriodicTask::start() {
  if (state_->running) return;
  state_->running = true;
  state_->stopping = false;
  asio::co_spawn(state_->timer.get_executor(), loop(state_), asio::detached);
}

Task<void> PeriodicTask::stop() {
  auto state = state_;
  state->stopping = true;
  state->timer.cancel();
  if (!state->running) co_return;
  state->finished.expires_at(asio::steady_timer::time_point::max());
  co_await state->finished.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace utxoiq::app
