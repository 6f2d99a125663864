// pg::Pool against a real PostgreSQL 15: start at min_size, lease reuse, growth to max_size,
// acquire timeout, first-come-first-served hand-over, rollback of leases returned mid-transaction,
// replacement of broken and server-closed connections, idle cleanup, close, retarget (failover).
#include <gtest/gtest.h>

#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "pg/pool.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::pg {
namespace {

using testing::run_task;
using testing::sleep_for;
using testing::TestServers;
using namespace std::chrono_literals;

class PgPool : public ::testing::Test {
 protected:
  PoolOptions options(std::size_t min_size, std::size_t max_size) {
    PoolOptions o;
    o.conninfo = url_;
    o.name = "test";
    o.min_size = min_size;
    o.max_size = max_size;
    o.acquire_timeout = 5s;
    return o;
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }
  // Runs the event loop until `done()` or a generous deadline; returns done().
  template <typename Predicate>
  bool eventually(Predicate done) {
    for (int i = 0; i < 1000 && !done(); ++i) run(sleep_for(10ms));
    return done();
  }
  std::unique_ptr<Connection> admin() {
    return run_task(io_, Connection::connect(io_.get_executor(), url_));
  }

  boost::asio::io_context io_;
  std::string url_ = TestServers::get().create_database();
};

TEST_F(PgPool, StartOpensMinSize) {
  Pool pool(io_.get_executor(), options(3, 6));
  run(pool.start());
  const auto stats = pool.stats();
  EXPECT_EQ(stats.size, 3u);
  EXPECT_EQ(stats.idle, 3u);
  EXPECT_EQ(stats.active, 0u);
  EXPECT_EQ(stats.connects_total, 3u);
  EXPECT_EQ(stats.min_size, 3u);
  EXPECT_EQ(stats.max_size, 6u);
  run(pool.close());
}

TEST_F(PgPool, ReleasedLeaseIsReusedWithoutConnecting) {
  Pool pool(io_.get_executor(), options(1, 4));
  run(pool.start());
  const auto [first_pid, first_id] = run([&]() -> Task<std::pair<int, std::uint64_t>> {
    Lease lease = co_await pool.acquire();
    co_await lease->execute("SELECT 1");
    co_return std::pair{lease->backend_pid(), lease->id()};
  }());
  const auto [second_pid, second_id] = run([&]() -> Task<std::pair<int, std::uint64_t>> {
    Lease lease = co_await pool.acquire();
    co_return std::pair{lease->backend_pid(), lease->id()};
  }());
  EXPECT_EQ(first_pid, second_pid);
  EXPECT_EQ(first_id, second_id);
  EXPECT_EQ(pool.stats().connects_total, 1u);
  EXPECT_EQ(pool.stats().acquired_total, 2u);
  run(pool.close());
}

TEST_F(PgPool, GrowsToMaxThenTimesOut) {
  auto o = options(1, 3);
  o.acquire_timeout = 300ms;
  Pool pool(io_.get_executor(), o);
  run(pool.start());
  std::vector<Lease> held;
  for (int i = 0; i < 3; ++i) held.push_back(run(pool.acquire()));
  EXPECT_EQ(pool.stats().size, 3u);
  EXPECT_EQ(pool.stats().active, 3u);
  std::set<int> pids;
  for (auto& lease : held) pids.insert(lease->backend_pid());
  EXPECT_EQ(pids.size(), 3u);

  EXPECT_THROW(run(pool.acquire()), AcquireTimeout);
  const auto stats = pool.stats();
  EXPECT_EQ(stats.acquire_timeouts_total, 1u);
  EXPECT_EQ(stats.waiting, 0u);
  EXPECT_EQ(stats.size, 3u);  // never past max

  held.pop_back();  // returned: the next acquire succeeds at once
  EXPECT_TRUE(run(pool.acquire()));
  held.clear();
  run(pool.close());
}

TEST_F(PgPool, WaitersAreServedFirstComeFirstServed) {
  Pool pool(io_.get_executor(), options(1, 1));
  run(pool.start());
  Lease holder = run(pool.acquire());
  std::vector<int> order;
  int finished = 0;
  for (int who = 0; who < 3; ++who) {
    boost::asio::co_spawn(
        io_,
        [&, who]() -> Task<void> {
          Lease lease = co_await pool.acquire();
          order.push_back(who);
          co_await lease->execute("SELECT 1");
        },
        [&](std::exception_ptr error) {
          EXPECT_FALSE(error);
          ++finished;
        });
  }
  EXPECT_TRUE(eventually([&] { return pool.stats().waiting == 3; }));
  holder.release();
  EXPECT_TRUE(eventually([&] { return finished == 3; }));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(pool.stats().connects_total, 1u);  // all on the one connection
  run(pool.close());
}

TEST_F(PgPool, LeaseReturnedInsideATransactionIsRolledBack) {
  Pool pool(io_.get_executor(), options(1, 1));
  run(pool.start());
  run(pool.execute("CREATE TABLE t (x int)"));
  run([&]() -> Task<void> {
    Lease lease = co_await pool.acquire();
    co_await lease->execute("BEGIN");
    co_await lease->execute("INSERT INTO t VALUES (1)");
    // lease dropped here without COMMIT, e.g. by an exception in a handler
  }());
  const auto [count, status] = run([&]() -> Task<std::pair<std::int64_t, TransactionStatus>> {
    Lease lease = co_await pool.acquire();
    auto result = co_await lease->execute("SELECT count(*) FROM t");
    co_return std::pair{result.int64(0, 0), lease->transaction_status()};
  }());
  EXPECT_EQ(count, 0);
  EXPECT_EQ(status, TransactionStatus::kIdle);
  EXPECT_EQ(pool.stats().connects_total, 1u);  // rolled back and reused, not replaced
  run(pool.close());
}

TEST_F(PgPool, BrokenConnectionIsDroppedAndReplaced) {
  Pool pool(io_.get_executor(), options(2, 4));
  run(pool.start());
  auto killer = admin();
  run([&]() -> Task<void> {
    Lease lease = co_await pool.acquire();
    co_await killer->execute("SELECT pg_terminate_backend($1)", params(lease->backend_pid()));
    bool connection_error = false;
    try {
      co_await sleep_for(200ms);
      co_await lease->execute("SELECT 1");
    } catch (const ConnectionError&) {
      connection_error = true;
    }
    EXPECT_TRUE(connection_error);
    EXPECT_TRUE(lease->broken());
  }());
  EXPECT_GE(pool.stats().closed_total, 1u);
  EXPECT_TRUE(eventually([&] { return pool.stats().idle == 2; }));  // refilled to min_size
  EXPECT_EQ(run(pool.execute("SELECT 1")).int64(0, 0), 1);
  run(pool.close());
}

TEST_F(PgPool, IdleConnectionClosedByTheServerIsNotHandedOut) {
  Pool pool(io_.get_executor(), options(1, 1));
  run(pool.start());
  const int old_pid = run([&]() -> Task<int> {
    Lease lease = co_await pool.acquire();
    co_return lease->backend_pid();
  }());
  auto killer = admin();
  run(killer->execute("SELECT pg_terminate_backend($1)", params(old_pid)));
  EXPECT_TRUE(eventually([&] {
    return run(killer->execute("SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
                               params(old_pid)))
               .int64(0, 0) == 0;
  }));
  run(sleep_for(50ms));  // let the FIN reach the pooled socket
  const int new_pid = run([&]() -> Task<int> {
    Lease lease = co_await pool.acquire();
    co_await lease->execute("SELECT 1");  // must not fail: the dead one was skipped
    co_return lease->backend_pid();
  }());
  EXPECT_NE(new_pid, old_pid);
  EXPECT_EQ(pool.stats().connects_total, 2u);
  run(pool.close());
}

TEST_F(PgPool, IdleConnectionsAboveMinAreClosedAfterIdleTimeout) {
  auto o = options(1, 3);
  o.idle_timeout = 100ms;
  o.maintenance_interval = 20ms;
  Pool pool(io_.get_executor(), o);
  run(pool.start());
  {
    std::vector<Lease> held;
    for (int i = 0; i < 3; ++i) held.push_back(run(pool.acquire()));
    EXPECT_EQ(pool.stats().size, 3u);
  }
  EXPECT_EQ(pool.stats().idle, 3u);
  EXPECT_TRUE(eventually([&] { return pool.stats().size == 1; }));
  // And it stays at min_size: the last one is never closed for idleness.
  run(sleep_for(300ms));
  EXPECT_EQ(pool.stats().size, 1u);
  EXPECT_EQ(pool.stats().idle, 1u);
  EXPECT_EQ(pool.stats().closed_total, 2u);
  run(pool.close());
}

TEST_F(PgPool, StartFailsWithConnectionErrorAfterRetries) {
  PoolOptions o;
  o.conninfo = "host=127.0.0.1 port=1 user=x dbname=x";
  o.connect_retries = 2;
  o.connect_backoff = {10ms, 50ms, 2.0};
  Pool pool(io_.get_executor(), o);
  try {
    run(pool.start());
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("3 attempts"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pool.stats().connect_failures_total, 3u);
  EXPECT_EQ(pool.stats().size, 0u);
}

TEST_F(PgPool, AcquireFailsFastWhenTheServerIsUnreachable) {
  PoolOptions o;
  o.conninfo = "host=127.0.0.1 port=1 user=x dbname=x";
  o.min_size = 0;
  o.connect_retries = 1;
  o.connect_backoff = {10ms, 50ms, 2.0};
  o.acquire_timeout = 60s;  // a ConnectionError must come long before this
  Pool pool(io_.get_executor(), o);
  EXPECT_THROW(run(pool.acquire()), ConnectionError);
  EXPECT_EQ(pool.stats().waiting, 0u);
  EXPECT_EQ(pool.stats().acquire_timeouts_total, 0u);
}

TEST_F(PgPool, CloseWaitsForLeasesAndRefusesNewAcquires) {
  Pool pool(io_.get_executor(), options(2, 2));
  run(pool.start());
  auto lease = std::make_unique<Lease>(run(pool.acquire()));
  boost::asio::co_spawn(
      io_,
      [&]() -> Task<void> {
        co_await sleep_for(100ms);
        lease.reset();  // the handler finishes and gives its connection back
      },
      boost::asio::detached);
  run(pool.close());
  EXPECT_EQ(lease, nullptr);  // close() waited for it
  EXPECT_EQ(pool.stats().size, 0u);
  EXPECT_THROW(run(pool.acquire()), ConnectionError);
}

TEST_F(PgPool, ExecuteConvenienceAcquiresAndReleases) {
  Pool pool(io_.get_executor(), options(1, 2));
  run(pool.start());
  EXPECT_EQ(run(pool.execute("SELECT $1::int * 2", params(21))).int64(0, 0), 42);
  const std::vector<Statement> batch{{"SELECT 1", {}}, {"SELECT 2", {}}};
  const auto results = run(pool.pipeline(batch));
  EXPECT_EQ(results[1].int64(0, 0), 2);
  EXPECT_EQ(pool.stats().active, 0u);
  EXPECT_EQ(pool.stats().acquired_total, 2u);
  run(pool.close());
}

TEST_F(PgPool, RetargetSendsNewLeasesToTheNewHostAndClosesTheOldHostsConnections) {
  // Two databases on one server stand for two hosts: current_database() tells them apart.
  const std::string other = TestServers::get().create_database();
  const auto database_of = [&](Lease& lease) -> Task<std::string> {
    const Result r = co_await lease->execute("SELECT current_database()");
    co_return std::string(r.text(0, 0));
  };
  Pool pool(io_.get_executor(), options(2, 4));
  run(pool.start());
  Lease held = run(pool.acquire());  // leased across the retarget
  const std::string old_database = run(database_of(held));
  const auto old_id = held->id();

  pool.retarget(other);
  EXPECT_EQ(pool.options().conninfo, other);
  Lease fresh = run(pool.acquire());
  EXPECT_NE(run(database_of(fresh)), old_database);
  fresh.release();
  held.release();  // of the old host: closed, never handed out again
  for (int i = 0; i < 4; ++i) {
    Lease lease = run(pool.acquire());
    EXPECT_NE(lease->id(), old_id);
    EXPECT_NE(run(database_of(lease)), old_database);
  }
  EXPECT_TRUE(eventually([&] { return pool.stats().size >= 2; }));  // refilled to min_size
  run(pool.close());
}

}  // namespace
}  // namespace utxoiq::pg
