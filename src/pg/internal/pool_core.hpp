#pragma once
// INTERNAL to src/pg: the shared state of a Pool. Leases, waiters and background tasks (opens,
// rollbacks, maintenance) hold it by shared_ptr, so destroying the Pool object while any of them
// is still pending is safe. Everything runs on the pool's single executor: no locks.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <exception>
#include <list>
#include <memory>

#include "pg/internal/pool_accounting.hpp"
#include "pg/pool.hpp"
#include "resilience/backoff.hpp"

namespace utxoiq::pg::detail {

class PoolCore;

// One acquire() waiting for a connection; lives in acquire()'s coroutine frame. A connection
// handed over (or an error) is stored here and the timer cancelled to wake the waiter.
struct Waiter {
  Waiter(PoolCore& core, boost::asio::any_io_executor executor);
  ~Waiter();  // leaves the queue / gives back an unclaimed connection if the frame dies early
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;

  PoolCore& core;
  boost::asio::steady_timer timer;
  std::unique_ptr<Connection> connection;
  std::exception_ptr error;
  bool queued = false;
  std::list<Waiter*>::iterator position;
};

// The text of an exception, for log lines and error messages.
std::string message_of(const std::exception_ptr& error);

// The state of a Pool and every decision on it; Pool and Lease only call these methods.
class PoolCore : public std::enable_shared_from_this<PoolCore> {
 public:
  using Clock = std::chrono::steady_clock;

  PoolCore(boost::asio::any_io_executor executor, PoolOptions options);

  const PoolOptions& options() const { return options_; }
  const boost::asio::any_io_executor& get_executor() const { return executor; }

  // Pool::start(): opens min_size connections, each with its retries; ConnectionError when one
  // cannot be opened.
  Task<void> open_min_size();
  // Pool::acquire() without the breaker: an idle connection (most recently returned first),
  // else a place in the queue until one is handed over or acquire_timeout passes.
  Task<std::unique_ptr<Connection>> take();
  // Pool::close(): shutdown(), then waits up to `grace` for leases and opens to settle.
  Task<void> close(std::chrono::milliseconds grace);

  struct IdleConnection {
    std::unique_ptr<Connection> connection;
    Clock::time_point since;
  };

  // A lease came back (or a waiter died holding one).
  void give_back(std::unique_ptr<Connection> connection);
  // A connection finished opening in the background or in start().
  void place_new(std::unique_ptr<Connection> connection);
  // A background open gave up after its retries.
  void open_gave_up(const std::exception_ptr& error);

  void enqueue(Waiter& waiter);
  void dequeue(Waiter& waiter);
  void fail_waiters(const std::exception_ptr& error);

  // Spawns `count` background opens (counted as opening by the accounting already).
  void start_opens(std::size_t count);
  // Connection::connect with connect_retries retries, backoff + jitter between attempts.
  Task<std::unique_ptr<Connection>> open_with_retry();

  // Pool::retarget(): new connections go to `conninfo`; idle ones are closed now, leased ones
  // when they come back, and opens begun before are discarded when they finish.
  void retarget(std::string conninfo);
  // Opened for the current target (not before the last retarget)?
  bool current_target(const Connection& connection) const {
    return connection.id() >= first_current_id;
  }

  void ensure_maintenance();
  void maintain(Clock::time_point now);
  // Stops accepting work: fails waiters, closes idle connections, cancels timers.
  void shutdown();

  PoolStats stats() const;

 private:
  static Task<void> open_in_background(std::shared_ptr<PoolCore> core);
  static Task<void> roll_back(std::shared_ptr<PoolCore> core,
                              std::unique_ptr<Connection> connection);
  static Task<void> maintenance_loop(std::shared_ptr<PoolCore> core);

  void record_acquired(Clock::time_point started);
  void hand_to_waiter(std::unique_ptr<Connection> connection);
  void roll_back_in_background(std::unique_ptr<Connection> connection);
  void close_dead_idle();
  void close_expired_idle(Clock::time_point now);
  void wake_closer();

  boost::asio::any_io_executor executor;
  PoolOptions options_;
  PoolAccounting accounting;
  std::deque<IdleConnection> idle;  // front: returned longest ago; back: most recently
  std::list<Waiter*> waiters;       // first come, first served
  PoolStats counters;               // only the *_total and wait fields are kept here
  boost::asio::steady_timer maintenance_timer;
  boost::asio::steady_timer close_timer;  // woken when a lease or an open settles while closing
  resilience::Backoff refill_backoff;
  Clock::time_point next_refill_at{};
  Clock::time_point next_stats_log{};
  bool closing = false;
  bool maintenance_running = false;
  // Connections with a lower id were begun for a target the pool has since left (retarget).
  std::uint64_t first_current_id = 0;
};

}  // namespace utxoiq::pg::detail
