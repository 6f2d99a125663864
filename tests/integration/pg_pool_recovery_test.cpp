// The pool across PostgreSQL restarts and crashes (real server stopped / killed and started
// again by TestServers): stale connections are detected and replaced, requests made while the
// server is down fail fast with ConnectionError, and the pool recovers by itself.
#include <gtest/gtest.h>

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

class PgPoolRecovery : public ::testing::Test {
 protected:
  PoolOptions options() {
    PoolOptions o;
    o.conninfo = url_;
    o.name = "recovery";
    o.min_size = 3;
    o.max_size = 5;
    o.connect_retries = 2;
    o.connect_backoff = {20ms, 100ms, 2.0};
    o.maintenance_interval = 50ms;
    return o;
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }
  std::int64_t select_one(Pool& pool) { return run(pool.execute("SELECT 1")).int64(0, 0); }

  boost::asio::io_context io_;
  std::string url_ = TestServers::get().create_database();
};

TEST_F(PgPoolRecovery, FirstQueryAfterARestartSucceeds) {
  Pool pool(io_.get_executor(), options());
  run(pool.start());
  EXPECT_EQ(select_one(pool), 1);
  const auto connects_before = pool.stats().connects_total;

  TestServers::get().stop_postgres();
  TestServers::get().start_postgres();

  // Every pooled connection died with the old server; none of them may be handed out.
  EXPECT_EQ(select_one(pool), 1);
  EXPECT_GT(pool.stats().connects_total, connects_before);
  run(pool.close());
}

TEST_F(PgPoolRecovery, WhileDownRequestsFailFastThenRecoverByThemselves) {
  auto o = options();
  o.acquire_timeout = 60s;  // the failure must be a ConnectionError, long before this
  Pool pool(io_.get_executor(), o);
  run(pool.start());
  TestServers::get().stop_postgres();

  EXPECT_THROW(select_one(pool), ConnectionError);
  EXPECT_EQ(pool.stats().waiting, 0u);
  EXPECT_GT(pool.stats().connect_failures_total, 0u);

  TestServers::get().start_postgres();
  // The maintenance timer refills to min_size without any request (backing off meanwhile).
  bool refilled = false;
  for (int i = 0; i < 1000 && !refilled; ++i) {
    run(sleep_for(10ms));
    refilled = pool.stats().idle >= 3;
  }
  EXPECT_TRUE(refilled);
  EXPECT_EQ(select_one(pool), 1);
  run(pool.close());
}

TEST_F(PgPoolRecovery, RecoversAfterACrash) {
  Pool pool(io_.get_executor(), options());
  run(pool.start());
  EXPECT_EQ(select_one(pool), 1);

  TestServers::get().kill_postgres();
  TestServers::get().start_postgres();

  // After SIGKILL of the postmaster its backends exit on their own; the pool must notice and
  // serve from fresh connections. Allow a bounded number of failed attempts while the old
  // backends wind down, each of which must be a ConnectionError (never a hang or a crash).
  bool recovered = false;
  for (int attempt = 0; attempt < 50 && !recovered; ++attempt) {
    try {
      recovered = select_one(pool) == 1;
    } catch (const ConnectionError&) {
      run(sleep_for(100ms));
    }
  }
  EXPECT_TRUE(recovered);
  run(pool.close());
}

}  // namespace
}  // namespace utxoiq::pg
