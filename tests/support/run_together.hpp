#pragma once
// Starts many calls as concurrent requests would: each call as its own coroutine, all started in
// the same turn of the io_context (so they meet in a batcher, pg/batch_queue.hpp), then runs the
// context until every call has ended and returns each call's answer or error, in the order of its
// argument. The one way the batcher tests issue requests together (run_task.hpp runs one task).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "util/task.hpp"

namespace utxoiq::testing {

// What one call ended with: its answer, or the exception it ended with.
template <typename T>
struct CallOutcome {
  std::optional<T> answer;
  std::exception_ptr error;
};

namespace detail {

template <typename Awaitable>
struct TaskValue;
template <typename T, typename Executor>
struct TaskValue<boost::asio::awaitable<T, Executor>> {
  using type = T;
};

// One call as its own coroutine. A function taking `call` and `arg` by value, not a capturing
// lambda: a coroutine lambda's captures die with the lambda object, before the coroutine runs.
// This frame keeps both alive until the call's task has ended, so `call` may take `arg` by
// reference and may itself be a capturing coroutine lambda.
template <typename T, typename Call, typename Arg>
Task<T> call_one(Call call, Arg arg) {
  co_return co_await std::invoke(call, arg);
}

}  // namespace detail

// Calls `call(arg)` (which returns a Task<T>) for every argument as its own coroutine, all in the
// same turn of `io`, and runs `io` until all have ended. Throws std::logic_error when `io` runs
// out of work first (a call that can never end).
template <typename Arg, typename Call,
          typename T = typename detail::TaskValue<std::invoke_result_t<Call&, Arg&>>::type>
std::vector<CallOutcome<T>> run_together(boost::asio::io_context& io, const std::vector<Arg>& args,
                                         Call call) {
  static_assert(!std::is_void_v<T>, "run_together collects answers: the calls return a value");
  std::vector<CallOutcome<T>> outcomes(args.size());
  std::size_t left = args.size();
  for (std::size_t i = 0; i < args.size(); ++i) {
    boost::asio::co_spawn(io, detail::call_one<T>(call, args[i]),
                          [&outcomes, &left, i](std::exception_ptr error, T answer) {
                            if (error) {
                              outcomes[i].error = error;
                            } else {
                              outcomes[i].answer = std::move(answer);
                            }
                            --left;
                          });
  }
  io.restart();
  // Background work (pool maintenance, opens) keeps the context busy, so run_one in a loop
  // instead of run().
  while (left > 0 && io.run_one() > 0) {
  }
  if (left > 0) throw std::logic_error("run_together: the io_context ran out of work");
  return outcomes;
}

}  // namespace utxoiq::testing
