#pragma once
// Connection pool for one PostgreSQL host (requirement 6): between min_size and max_size
// connections, acquire with a timeout (first come, first served), connects retried with
// exponential backoff and full jitter, idle connections closed after idle_timeout (never below
// min_size), dead ones (server restarted) detected before being handed out and replaced in the
// background, pool figures logged every stats_log_interval.
//
// Threading: a Pool, its Leases and Connections live on ONE executor/thread (the service runs a
// single io_context thread for all I/O), so the pool needs no locks. Leases must be destroyed on
// that thread too.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pg/connection.hpp"
#include "pg/pool_stats.hpp"
#include "pg/read_origin.hpp"
#include "resilience/backoff.hpp"
#include "resilience/circuit_breaker.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {

namespace detail {
class PoolCore;
}

struct PoolOptions {
  std::string conninfo;          // URI or key=value; never logged (it may hold a password)
  std::string name = "primary";  // in log lines and figures
  std::size_t min_size = 5;
  std::size_t max_size = 20;
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds idle_timeout{300'000};
  // Failed connects are retried this many times (so 1 + connect_retries attempts) with
  // exponential backoff and full jitter before the open is given up.
  int connect_retries = 3;
  resilience::BackoffPolicy connect_backoff{std::chrono::milliseconds{100},
                                            std::chrono::milliseconds{2000}, 2.0};
  // How often idle connections are checked (dead / idle too long) and the pool refilled to
  // min_size. While the server is down, refills back off from this interval up to 60 s.
  std::chrono::milliseconds maintenance_interval{5000};
  std::chrono::milliseconds stats_log_interval{60'000};
  // Per-connection settings: connect_timeout, statement_timeout_ms, application_name, observer.
  ConnectOptions connection;
  // Optional circuit breaker for the host, so that a database that is down costs a request no
  // wait: every acquire() takes a permit, and none (open) -> CircuitOpen at once. Counted as
  // failures: an acquire that fails with ConnectionError or AcquireTimeout, and a lease given back
  // with its connection broken (lost mid-query, or the client-side I/O timeout). Everything else is
  // a success, SQL errors included (a unique violation is the server answering). nullptr: no
  // breaker.
  std::shared_ptr<resilience::CircuitBreaker> breaker;
};

class Pool;

// A leased connection: move-only; returns it to the pool when destroyed or release()d (to the
// next waiter directly if one is queued). A broken connection is dropped instead, and one left
// inside a transaction is rolled back in the background before it is reused.
class Lease {
 public:
  Lease() = default;
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&& other) noexcept;
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  Connection* operator->() const { return connection_.get(); }
  Connection& operator*() const { return *connection_; }
  Connection& connection() const { return *connection_; }
  explicit operator bool() const { return connection_ != nullptr; }

  void release();  // gives the connection back now; the lease is empty afterwards

 private:
  friend class Pool;
  Lease(std::shared_ptr<detail::PoolCore> pool, std::unique_ptr<Connection> connection);
  std::shared_ptr<detail::PoolCore> pool_;
  std::unique_ptr<Connection> connection_;
  resilience::CircuitBreaker::Permit permit_;  // reported when the connection comes back
};

class Pool {
 public:
  // Throws std::invalid_argument for impossible sizes (max_size 0, min_size > max_size).
  Pool(boost::asio::any_io_executor executor, PoolOptions options);
  // Closes at once: waiters fail, idle connections close; leases still out are closed when they
  // come back. Prefer co_await close() for a graceful shutdown.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Opens min_size connections (each with its retries) and starts the maintenance timer.
  // Throws ConnectionError when the server cannot be reached: the service reports it and exits.
  Task<void> start();

  // A connection within acquire_timeout, else AcquireTimeout; ConnectionError when the pool is
  // closed or the server is unreachable and no connection is left; CircuitOpen at once while the
  // breaker (if any) is open. Works before start() too.
  Task<Lease> acquire();

  // Conveniences: acquire, run, give back.
  Task<Result> execute(std::string_view sql, Params params = {}, StatementTag tag = {});
  Task<Result> execute(const TaggedSql& statement, Params params = {}) {
    return execute(statement.sql, std::move(params), statement.tag);
  }
  Task<std::vector<Result>> pipeline(std::span<const Statement> statements);
  // execute() of a read on behalf of `origin` instead of the request running now (a batch of the
  // reads of several requests runs each origin's share so, see read_origin.hpp).
  Task<Result> execute_for(const ReadOrigin& origin, const TaggedSql& statement, Params params);

  // Read replicas (issue 12): while set, execute() of a statement tagged read, in a request whose
  // context allows replica reads (obs::RequestContext::reads_may_use_replicas: a GET that is not
  // critical), hands it to the router (ReplicaSet) with the request's origin. Writes, and reads of
  // a request that writes (they may decide the write), run here. Empty: every statement runs here.
  using ReadRouter = std::function<Task<Result>(std::string_view sql, Params params,
                                                StatementTag tag, const ReadOrigin& origin)>;
  void set_read_router(ReadRouter router) { read_router_ = std::move(router); }
  // execute() on this pool's host whatever the router (what the router itself runs here).
  Task<Result> execute_here(std::string_view sql, Params params = {}, StatementTag tag = {});

  // Failover (pg/primary_follower.hpp): from now on the pool connects to `conninfo`. Idle
  // connections close at once, leased ones when they come back; nothing already running is
  // interrupted. options().conninfo reads the new target.
  void retarget(std::string conninfo);

  PoolStats stats() const;
  // stats() for collectors that may outlive the pool: nullopt once the pool (and every lease of
  // it) is gone, instead of reading freed memory.
  std::function<std::optional<PoolStats>()> stats_reader() const;
  // The executor the pool and its connections run on.
  boost::asio::any_io_executor executor() const;
  const PoolOptions& options() const;

  // Graceful shutdown: refuses new acquires, fails waiters, closes idle connections, and waits up
  // to `grace` for leases to come back (those returned later are closed then).
  Task<void> close(std::chrono::milliseconds grace = std::chrono::seconds{10});

 private:
  static Task<Lease> acquire_connection(std::shared_ptr<detail::PoolCore> core);
  // A read by `origin`: to the router when there is one and the origin allows replicas, else here.
  Task<Result> execute_read(const ReadOrigin& origin, std::string_view sql, Params params,
                            StatementTag tag);
  std::shared_ptr<detail::PoolCore> core_;
  ReadRouter read_router_;
};

}  // namespace utxoiq::pg
