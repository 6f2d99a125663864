// Pool and Lease: the public face of a pool. Pool adds the circuit breaker to acquire(); the
// state and every decision on it are PoolCore's (pool_core.hpp), the bookkeeping
// PoolAccounting's.
#include "pg/pool.hpp"

#include <cassert>

#include "pg/internal/pool_core.hpp"

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

void Pool::retarget(std::string conninfo) {
  core_->retarget(std::move(conninfo));
}

const PoolOptions& Pool::options() const {
  return core_->options();
}

boost::asio::any_io_executor Pool::executor() const {
  return core_->get_executor();
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
  auto core = core_;  // alive until the opens are done, even if the Pool is destroyed meanwhile
  co_await core->open_min_size();
}

Task<Lease> Pool::acquire() {
  const auto& breaker = core_->options().breaker;
  if (!breaker) co_return co_await acquire_connection(core_);
  auto permit = breaker->try_acquire();
  if (!permit) {
    const long long retry = breaker->retry_after().count();
    throw CircuitOpen("PostgreSQL pool '" + core_->options().name +
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
  std::unique_ptr<Connection> connection = co_await core->take();
  co_return Lease(core, std::move(connection));
}

Task<Result> Pool::execute(std::string_view sql, Params params, StatementTag tag) {
  if (read_router_ && tag.access == StatementAccess::read) {
    co_return co_await execute_read(current_read_origin(), sql, std::move(params), tag);
  }
  co_return co_await execute_here(sql, std::move(params), tag);
}

Task<Result> Pool::execute_for(const ReadOrigin& origin, const TaggedSql& statement,
                               Params params) {
  assert(statement.tag.access == StatementAccess::read);
  co_return co_await execute_read(origin, statement.sql, std::move(params), statement.tag);
}

Task<Result> Pool::execute_read(const ReadOrigin& origin, std::string_view sql, Params params,
                                StatementTag tag) {
  if (read_router_ && origin.may_use_replicas) {
    co_return co_await read_router_(sql, std::move(params), tag, origin);
  }
  co_return co_await execute_here(sql, std::move(params), tag);
}

Task<Result> Pool::execute_here(std::string_view sql, Params params, StatementTag tag) {
  Lease lease = co_await acquire();
  co_return co_await lease->execute(sql, std::move(params), tag);
}

Task<std::vector<Result>> Pool::pipeline(std::span<const Statement> statements) {
  Lease lease = co_await acquire();
  co_return co_await lease->pipeline(statements);
}

Task<void> Pool::close(std::chrono::milliseconds grace) {
  auto core = core_;
  co_await core->close(grace);
}

}  // namespace utxoiq::pg
