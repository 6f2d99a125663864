// Pool and Lease: start, acquire (idle connection, or wait in line while the pool grows), close.
// The bookkeeping decisions are PoolAccounting's, the background work PoolCore's.
#include "pg/pool.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include "pg/pool_core.hpp"

namespace utxoiq::pg {

namespace asio = boost::asio;
using detail::PoolCore;

Lease::Lease(std::shared_ptr<PoolCore> pool, std::unique_ptr<Connection> connection)
    : pool_(std::move(pool)), connection_(std::move(connection)) {}

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
    permit_ = std::move(other.permit_);
  }
  return *this;
}

Lease::~Lease() {
  release();
}

void Lease::release() {
  if (permit_) {
    if (connection_ && connection_->broken()) {
      permit_.failure();
    } else {
      permit_.success();
    }
  }
  if (connection_ && pool_) pool_->give_back(std::move(connection_));
  connection_.reset();
  pool_.reset();
}

Pool::Pool(asio::any_io_executor executor, PoolOptions options)
    : core_(std::make_shared<PoolCore>(executor, std::move(options))) {}

Pool::~Pool() {
  core_->shutdown();
}

const PoolOptions& Pool::options() const {
  return core_->options;
}

PoolStats Pool::stats() const {
  return core_->stats();
}

std::function<std::optional<PoolStats>()> Pool::stats_reader() const {
  return [weak = std::weak_ptr<PoolCore>(core_)]() -> std::optional<PoolStats> {
    if (const auto core = weak.lock()) return core->stats();
    return std::nullopt;
  };
}

Task<void> Pool::start() {
  auto core = core_;
  const std::size_t count = core->accounting.plan_opens();
  for (std::size_t opened = 0; opened < count; ++opened) {
    std::unique_ptr<Connection> connection;
    std::exception_ptr failure;
    try {
      connection = co_await core->open_with_retry();
    } catch (...) {
      failure = std::current_exception();
    }
    if (!connection) {
      for (std::size_t rest = opened; rest < count; ++rest) core->accounting.open_failed();
      std::string reason = "unknown error";
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        reason = e.what();
      } catch (...) {
      }
      throw ConnectionError("cannot open PostgreSQL pool '" + core->options.name + "' after " +
                            std::to_string(core->options.connect_retries + 1) +
                            " attempts: " + reason);
    }
    core->place_new(std::move(connection));
  }
  core->ensure_maintenance();
  spdlog::info("pg pool {}: started with {} connections (min {}, max {})", core->options.name,
               core->accounting.size(), core->options.min_size, core->options.max_size);
}

Task<Lease> Pool::acquire() {
  const auto& breaker = core_->options.breaker;
  if (!breaker) co_return co_await acquire_connection(core_);
  auto permit = breaker->try_acquire();
  if (!permit) {
    const long long retry = breaker->retry_after().count();
    throw CircuitOpen("PostgreSQL pool '" + core_->options.name +
                          "': circuit breaker open after repeated connection failures",
                      retry < 1 ? 1 : retry);
  }
  try {
    Lease lease = co_await acquire_connection(core_);
    lease.permit_ = std::move(permit);
    co_return lease;
  } catch (const ConnectionError&) {
    permit.failure();
    throw;
  } catch (const AcquireTimeout&) {
    permit.failure();
    throw;
  }
}

Task<Lease> Pool::acquire_connection(std::shared_ptr<PoolCore> core) {
  if (core->closing)
    throw ConnectionError("PostgreSQL pool '" + core->options.name + "' is closed");
  core->ensure_maintenance();
  const auto started = PoolCore::Clock::now();

  // Most recently returned first: keeps a warm working set and lets the surplus age out.
  while (core->accounting.try_take_idle()) {
    auto entry = std::move(core->idle.back());
    core->idle.pop_back();
    if (entry.connection->probe_idle()) {
      core->record_acquired(started);
      co_return Lease(core, std::move(entry.connection));
    }
    // Closed by the server while idle (e.g. it restarted): drop it and try the next one.
    core->accounting.drop_taken();
    ++core->counters.closed_total;
  }

  detail::Waiter waiter(*core, core->executor);
  core->enqueue(waiter);
  core->start_opens(core->accounting.plan_opens());
  waiter.timer.expires_after(core->options.acquire_timeout);
  const auto [ec] = co_await waiter.timer.async_wait(asio::as_tuple(asio::use_awaitable));

  if (waiter.connection) {
    core->record_acquired(started);
    co_return Lease(core, std::move(waiter.connection));
  }
  if (waiter.error) std::rethrow_exception(waiter.error);
  core->dequeue(waiter);
  if (ec == asio::error::operation_aborted)  // the caller cancelled the acquire
    throw boost::system::system_error(ec);
  ++core->counters.acquire_timeouts_total;
  const auto figures = core->stats();
  throw AcquireTimeout("no PostgreSQL connection free in pool '" + core->options.name +
                       "' within " + std::to_string(core->options.acquire_timeout.count()) +
                       " ms (size " + std::to_string(figures.size) + ", active " +
                       std::to_string(figures.active) + ", waiting " +
                       std::to_string(figures.waiting) + ")");
}

Task<Result> Pool::execute(std::string_view sql, Params params) {
  Lease lease = co_await acquire();
  co_return co_await lease->execute(sql, std::move(params));
}

Task<std::vector<Result>> Pool::pipeline(std::span<const Statement> statements) {
  Lease lease = co_await acquire();
  co_return co_await lease->pipeline(statements);
}

Task<void> Pool::close(std::chrono::milliseconds grace) {
  auto core = core_;
  core->shutdown();
  const auto deadline = PoolCore::Clock::now() + grace;
  while ((core->accounting.active() > 0 || core->accounting.opening() > 0) &&
         PoolCore::Clock::now() < deadline) {
    core->close_timer.expires_at(deadline);
    co_await core->close_timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (core->accounting.active() > 0)
    spdlog::warn("pg pool {}: closed with {} connections still leased", core->options.name,
                 core->accounting.active());
  spdlog::info("pg pool {}: closed", core->options.name);
}

}  // namespace utxoiq::pg
