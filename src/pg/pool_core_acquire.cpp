// The pool's start, acquire and close (see pool.hpp): the parts of PoolCore that a caller awaits.
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include "pg/internal/pool_core.hpp"

namespace utxoiq::pg::detail {

namespace asio = boost::asio;

Task<void> PoolCore::open_min_size() {
  const std::size_t count = accounting.plan_opens();
  for (std::size_t opened = 0; opened < count; ++opened) {
    std::unique_ptr<Connection> connection;
    std::exception_ptr failure;
    try {
      connection = co_await open_with_retry();
    } catch (...) {
      failure = std::current_exception();
    }
    if (!connection) {
      for (std::size_t rest = opened; rest < count; ++rest) accounting.open_failed();
      throw ConnectionError("cannot open PostgreSQL pool '" + options_.name + "' after " +
                            std::to_string(options_.connect_retries + 1) +
                            " attempts: " + message_of(failure));
    }
    place_new(std::move(connection));
  }
  ensure_maintenance();
  spdlog::info("pg pool {}: started with {} connections (min {}, max {})", options_.name,
               accounting.size(), options_.min_size, options_.max_size);
}

Task<std::unique_ptr<Connection>> PoolCore::take() {
  if (closing) throw ConnectionError("PostgreSQL pool '" + options_.name + "' is closed");
  ensure_maintenance();
  const auto started = Clock::now();

  // Most recently returned first: keeps a warm working set and lets the surplus age out.
  while (accounting.try_take_idle()) {
    auto entry = std::move(idle.back());
    idle.pop_back();
    if (entry.connection->probe_idle()) {
      record_acquired(started);
      co_return std::move(entry.connection);
    }
    // Closed by the server while idle (e.g. it restarted): drop it and try the next one.
    accounting.drop_taken();
    ++counters.closed_total;
  }

  Waiter waiter(*this, executor);
  enqueue(waiter);
  start_opens(accounting.plan_opens());
  waiter.timer.expires_after(options_.acquire_timeout);
  const auto [ec] = co_await waiter.timer.async_wait(asio::as_tuple(asio::use_awaitable));

  if (waiter.connection) {
    record_acquired(started);
    co_return std::move(waiter.connection);
  }
  if (waiter.error) std::rethrow_exception(waiter.error);
  dequeue(waiter);
  if (ec == asio::error::operation_aborted)  // the caller cancelled the acquire
    throw boost::system::system_error(ec);
  ++counters.acquire_timeouts_total;
  const auto figures = stats();
  throw AcquireTimeout("no PostgreSQL connection free in pool '" + options_.name + "' within " +
                       std::to_string(options_.acquire_timeout.count()) + " ms (size " +
                       std::to_string(figures.size) + ", active " + std::to_string(figures.active) +
                       ", waiting " + std::to_string(figures.waiting) + ")");
}

Task<void> PoolCore::close(std::chrono::milliseconds grace) {
  shutdown();
  const auto deadline = Clock::now() + grace;
  while ((accounting.active() > 0 || accounting.opening() > 0) && Clock::now() < deadline) {
    close_timer.expires_at(deadline);
    co_await close_timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (accounting.active() > 0)
    spdlog::warn("pg pool {}: closed with {} connections still leased", options_.name,
                 accounting.active());
  spdlog::info("pg pool {}: closed", options_.name);
}

}  // namespace utxoiq::pg::detail
