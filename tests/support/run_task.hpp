#pragma once
// Runs one coroutine to completion on an io_context from a plain (non-coroutine) test body and
// returns its value or rethrows its exception, so tests read top to bottom.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "util/task.hpp"

namespace utxoiq::testing {

template <typename T>
T run_task(boost::asio::io_context& io, Task<T> task) {
  std::exception_ptr failure;
  bool done = false;
  std::conditional_t<std::is_void_v<T>, bool, std::optional<T>> value{};
  if constexpr (std::is_void_v<T>) {
    boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr error) {
      failure = error;
      done = true;
    });
  } else {
    boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr error, T result) {
      failure = error;
      if (!error) value.emplace(std::move(result));
      done = true;
    });
  }
  io.restart();
  // Run until this task finishes; background work (pool maintenance, opens) keeps the context
  // busy, so run_one in a loop instead of run().
  while (!done && io.run_one() > 0) {
  }
  if (!done)
    throw std::logic_error("run_task: the io_context ran out of work before the task ended");
  if (failure) std::rethrow_exception(failure);
  if constexpr (!std::is_void_v<T>) return std::move(*value);
}

// Suspends the calling coroutine (the event loop keeps running other work meanwhile).
inline Task<void> sleep_for(std::chrono::steady_clock::duration duration) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, duration);
  co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

}  // namespace utxoiq::testing
