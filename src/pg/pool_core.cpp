// The pool's moving parts: giving connections back, background opens with retry, the
// maintenance timer (dead/idle connections, refill, figures) and shutdown. See pool.hpp.
#include "pg/internal/pool_core.hpp"

#include <spdlog/spdlog.h>
#include <cassert>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace utxoiq::pg::detail {

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;

std::string message_of(const std::exception_ptr& error) {
  try {
    if (error) std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
  }
  return "unknown error";
}

Task<void> PoolCore::open_in_background(std::shared_ptr<PoolCore> core) {
  std::unique_ptr<Connection> connection;
  std::exception_ptr failure;
  try {
    connection = co_await core->open_with_retry();
  } catch (...) {
    failure = std::current_exception();
  }
  if (connection) {
    core->place_new(std::move(connection));
  } else {
    core->open_gave_up(failure);
  }
}

Task<void> PoolCore::roll_back(std::shared_ptr<PoolCore> core,
                               std::unique_ptr<Connection> connection) {
  try {
    co_await connection->execute_simple("ROLLBACK");
  } catch (const std::exception& e) {
    spdlog::debug("pg pool {}: rollback of a returned connection failed: {}", core->options_.name,
                  e.what());
    connection->mark_broken();
  }
  core->give_back(std::move(connection));
}

Task<void> PoolCore::maintenance_loop(std::shared_ptr<PoolCore> core) {
  while (!core->closing) {
    core->maintenance_timer.expires_after(core->options_.maintenance_interval);
    co_await core->maintenance_timer.async_wait(as_tuple(use_awaitable));
    if (core->closing) break;
    core->maintain(PoolCore::Clock::now());
  }
  core->maintenance_running = false;
}

Waiter::Waiter(PoolCore& pool, asio::any_io_executor executor) : core(pool), timer(executor) {}

Waiter::~Waiter() {
  if (queued) core.dequeue(*this);
  if (connection) core.give_back(std::move(connection));
}

PoolCore::PoolCore(asio::any_io_executor ex, PoolOptions opts)
    : executor(ex),
      options_(std::move(opts)),
      accounting(options_.min_size, options_.max_size),
      maintenance_timer(ex),
      close_timer(ex),
      refill_backoff(resilience::BackoffPolicy{
          options_.maintenance_interval,
          std::max(options_.maintenance_interval, std::chrono::milliseconds{60'000}), 2.0}) {}

void PoolCore::give_back(std::unique_ptr<Connection> connection) {
  if (!connection) return;
  if (!current_target(*connection)) connection->mark_broken();  // of a host the pool left
  if (!closing && !connection->broken()) {
    switch (connection->transaction_status()) {
      case TransactionStatus::kIdle:
        break;
      case TransactionStatus::kInTransaction:
      case TransactionStatus::kInError:
        // Returned inside a transaction (an exception between BEGIN and COMMIT): roll back
        // before anyone else gets it. It stays counted as active meanwhile.
        roll_back_in_background(std::move(connection));
        return;
      default:  // a query still running: state unknown
        connection->mark_broken();
    }
  }
  const bool reusable = !closing && !connection->broken();
  switch (accounting.release(reusable)) {
    case PoolAccounting::Release::kToWaiter:
      hand_to_waiter(std::move(connection));
      break;
    case PoolAccounting::Release::kToIdle:
      idle.push_back({std::move(connection), Clock::now()});
      break;
    case PoolAccounting::Release::kDropped:
      ++counters.closed_total;
      connection.reset();
      if (!closing) start_opens(accounting.plan_opens());  // replacement for waiters / min_size
      break;
  }
  wake_closer();
}

void PoolCore::place_new(std::unique_ptr<Connection> connection) {
  if (closing) {
    accounting.open_failed();
    ++counters.closed_total;
    wake_closer();
    return;
  }
  refill_backoff.reset();
  next_refill_at = Clock::time_point{};
  switch (accounting.open_succeeded()) {
    case PoolAccounting::Placement::kToWaiter:
      hand_to_waiter(std::move(connection));
      break;
    case PoolAccounting::Placement::kToIdle:
      idle.push_back({std::move(connection), Clock::now()});
      break;
  }
}

void PoolCore::open_gave_up(const std::exception_ptr& error) {
  accounting.open_failed();
  wake_closer();
  if (closing) return;
  const auto delay = refill_backoff.next_delay();
  next_refill_at = Clock::now() + delay;
  spdlog::warn("pg pool {}: cannot open a connection: {} (next refill in {} ms)", options_.name,
               message_of(error), delay.count());
  // Waiters can only be served by a connection coming back or one being opened; with neither,
  // fail them now (503) rather than let them sit out acquire_timeout.
  if (accounting.waiting() > 0 && accounting.active() == 0 && accounting.opening() == 0)
    fail_waiters(std::make_exception_ptr(ConnectionError(
        "PostgreSQL unreachable for pool '" + options_.name + "': " + message_of(error))));
}

// The hand-off: the accounting has already counted the connection as the first waiter's (its
// waiting count is one less than the queue), and the waiter holds nothing yet.
void PoolCore::hand_to_waiter(std::unique_ptr<Connection> connection) {
  assert(connection && !waiters.empty());
  assert(waiters.size() == accounting.waiting() + 1);
  Waiter* waiter = waiters.front();
  assert(waiter->queued && !waiter->connection && !waiter->error);
  waiters.pop_front();
  waiter->queued = false;
  waiter->connection = std::move(connection);
  waiter->timer.cancel();
}

void PoolCore::enqueue(Waiter& waiter) {
  waiter.position = waiters.insert(waiters.end(), &waiter);
  waiter.queued = true;
  accounting.add_waiter();
  assert(waiters.size() == accounting.waiting());
}

void PoolCore::dequeue(Waiter& waiter) {
  if (!waiter.queued) return;
  waiters.erase(waiter.position);
  waiter.queued = false;
  accounting.remove_waiter();
  assert(waiters.size() == accounting.waiting());
}

void PoolCore::fail_waiters(const std::exception_ptr& error) {
  while (!waiters.empty()) {
    Waiter* waiter = waiters.front();
    dequeue(*waiter);
    waiter->error = error;
    waiter->timer.cancel();
  }
}

void PoolCore::start_opens(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    asio::co_spawn(executor, open_in_background(shared_from_this()), asio::detached);
}

Task<std::unique_ptr<Connection>> PoolCore::open_with_retry() {
  resilience::Backoff backoff(options_.connect_backoff);
  for (int attempt = 0;; ++attempt) {
    std::exception_ptr failure;
    try {
      auto connection =
          co_await Connection::connect(executor, options_.conninfo, options_.connection);
      ++counters.connects_total;
      if (!current_target(*connection) && !closing) {  // retargeted while connecting: again
        --attempt;
        continue;
      }
      co_return connection;
    } catch (const ConnectionError&) {
      failure = std::current_exception();
    }
    ++counters.connect_failures_total;
    if (attempt >= options_.connect_retries || closing) std::rethrow_exception(failure);
    const auto delay = backoff.next_delay();
    // Debug only: while the server is down every request would add a line; the warning comes
    // once per open that gives up (open_gave_up).
    spdlog::debug("pg pool {}: connect attempt {} of {} failed: {}; retrying in {} ms",
                  options_.name, attempt + 1, options_.connect_retries + 1, message_of(failure),
                  delay.count());
    asio::steady_timer pause(executor, delay);
    co_await pause.async_wait(as_tuple(use_awaitable));
  }
}

void PoolCore::roll_back_in_background(std::unique_ptr<Connection> connection) {
  asio::co_spawn(executor, roll_back(shared_from_this(), std::move(connection)), asio::detached);
}

void PoolCore::ensure_maintenance() {
  if (maintenance_running || closing) return;
  maintenance_running = true;
  next_stats_log = Clock::now() + options_.stats_log_interval;
  asio::co_spawn(executor, maintenance_loop(shared_from_this()), asio::detached);
}

void PoolCore::retarget(std::string conninfo) {
  options_.conninfo = std::move(conninfo);
  first_current_id = Connection::next_id();
  while (!idle.empty()) {
    idle.pop_front();
    accounting.drop_idle();
    ++counters.closed_total;
  }
  refill_backoff.reset();
  next_refill_at = Clock::time_point{};
  if (options_.breaker) options_.breaker->reset();  // the old host's failures, not the new one's
  if (!closing) start_opens(accounting.plan_opens());
}

void PoolCore::close_dead_idle() {
  for (auto it = idle.begin(); it != idle.end();) {
    if (it->connection->probe_idle()) {
      ++it;
      continue;
    }
    it = idle.erase(it);
    accounting.drop_idle();
    ++counters.closed_total;
  }
}

void PoolCore::close_expired_idle(Clock::time_point now) {
  std::vector<Clock::time_point> since;
  since.reserve(idle.size());
  for (const auto& entry : idle) since.push_back(entry.since);
  auto doomed = accounting.idle_to_close(since, now, options_.idle_timeout);
  if (doomed.empty()) return;
  // Erase from the back so the remaining indexes stay valid.
  std::sort(doomed.begin(), doomed.end(), std::greater<>());
  for (const auto index : doomed) idle.erase(idle.begin() + static_cast<std::ptrdiff_t>(index));
  accounting.drop_idle(doomed.size());
  counters.closed_total += doomed.size();
  spdlog::debug("pg pool {}: closed {} connections idle longer than {} ms", options_.name,
                doomed.size(), options_.idle_timeout.count());
}

void PoolCore::maintain(Clock::time_point now) {
  if (closing) return;
  close_dead_idle();
  close_expired_idle(now);
  if (now >= next_refill_at) start_opens(accounting.plan_opens());
  if (now >= next_stats_log) {
    spdlog::info("{}", describe(stats(), options_.name));
    next_stats_log = now + options_.stats_log_interval;
  }
}

void PoolCore::shutdown() {
  if (closing) return;
  closing = true;
  maintenance_timer.cancel();
  fail_waiters(std::make_exception_ptr(
      ConnectionError("PostgreSQL pool '" + options_.name + "' is closed")));
  accounting.drop_idle(idle.size());
  counters.closed_total += idle.size();
  idle.clear();
}

void PoolCore::wake_closer() {
  if (closing) close_timer.cancel();
}

PoolStats PoolCore::stats() const {
  PoolStats out = counters;
  out.size = accounting.size();
  out.active = accounting.active();
  out.idle = accounting.idle();
  out.opening = accounting.opening();
  out.waiting = accounting.waiting();
  out.min_size = accounting.min_size();
  out.max_size = accounting.max_size();
  return out;
}

void PoolCore::record_acquired(Clock::time_point started) {
  ++counters.acquired_total;
  counters.record_acquire_wait(Clock::now() - started);
}

}  // namespace utxoiq::pg::detail
