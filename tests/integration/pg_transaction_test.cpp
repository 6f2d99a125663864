// pg::Transaction against a real PostgreSQL 15: BEGIN goes out with the first statement and
// COMMIT with the last ones (one round trip each), commit makes the writes visible, rollback()
// and an abandoned transaction discard them (the abandoned one is logged), an error mid-way rolls
// back, and in every case the connection comes back clean for the next lease.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <string>
#include <vector>

#include "obs/logging.hpp"
#include "pg/pool.hpp"
#include "pg/transaction.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::pg {
namespace {

using testing::run_task;
using testing::sleep_for;
using testing::TestServers;
using namespace std::chrono_literals;

class PgTransaction : public ::testing::Test {
 protected:
  void SetUp() override {
    PoolOptions o;
    o.conninfo = TestServers::get().create_database();
    o.name = "test";
    o.min_size = 1;
    o.max_size = 1;  // every lease is the same connection: what one leaves, the next one sees
    o.connection.observer = [this](const QueryEvent& e) {
      round_trips_.push_back({std::string(e.sql), e.pipeline_size, e.statement_index});
    };
    pool_ = std::make_unique<Pool>(io_.get_executor(), o);
    run(pool_->start());
    run(pool_->execute("CREATE TABLE t (x int PRIMARY KEY)"));
    round_trips_.clear();
  }
  void TearDown() override { run(pool_->close()); }

  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }
  std::int64_t rows() { return run(pool_->execute("SELECT count(*) FROM t")).int64(0, 0); }
  // The next lease's connection: idle (no transaction left open) once the pool has it back.
  bool connection_clean() {
    for (int i = 0; i < 500 && pool_->stats().idle != 1; ++i) run(sleep_for(10ms));
    return run([&]() -> Task<bool> {
      Lease lease = co_await pool_->acquire();
      co_return lease->transaction_status() == TransactionStatus::kIdle;
    }());
  }
  // Statements sent in one pipeline with the given first statement.
  std::size_t pipeline_size_of(std::string_view sql) const {
    for (const auto& e : round_trips_)
      if (e.sql == sql) return e.pipeline_size;
    return 0;
  }

  struct Sent {
    std::string sql;
    std::size_t pipeline_size;
    std::size_t index;
  };
  boost::asio::io_context io_;
  std::unique_ptr<Pool> pool_;
  std::vector<Sent> round_trips_;
};

TEST_F(PgTransaction, BeginRidesWithTheFirstStatementAndCommitWithTheLast) {
  const auto results = run([&]() -> Task<std::vector<Result>> {
    Transaction tx = co_await Transaction::begin(*pool_);
    const Result first = co_await tx.execute("INSERT INTO t VALUES (1) RETURNING x");
    EXPECT_EQ(first.int64(0, 0), 1);
    std::vector<Statement> last;
    last.push_back({"INSERT INTO t VALUES (2) RETURNING x", {}});
    last.push_back({"SELECT count(*) FROM t", {}});
    co_return co_await tx.commit(std::move(last));
  }());
  ASSERT_EQ(results.size(), 2u);  // the results of `last` only, not COMMIT's
  EXPECT_EQ(results[0].int64(0, 0), 2);
  EXPECT_EQ(results[1].int64(0, 0), 2);
  EXPECT_EQ(pipeline_size_of("BEGIN"), 2u);                                 // [BEGIN, INSERT 1]
  EXPECT_EQ(pipeline_size_of("INSERT INTO t VALUES (2) RETURNING x"), 3u);  // [.., .., COMMIT]
  EXPECT_EQ(rows(), 2);
  EXPECT_TRUE(connection_clean());
}

TEST_F(PgTransaction, CommitAloneRunsBeginStatementsAndCommitInOneRoundTrip) {
  run([&]() -> Task<void> {
    Transaction tx = co_await Transaction::begin(*pool_);
    std::vector<Statement> all;
    all.push_back({"INSERT INTO t VALUES (1)", {}});
    co_await tx.commit(std::move(all));
    EXPECT_FALSE(tx.open());
  }());
  EXPECT_EQ(pipeline_size_of("BEGIN"), 3u);
  EXPECT_EQ(rows(), 1);
}

TEST_F(PgTransaction, RollbackDiscardsTheWrites) {
  run([&]() -> Task<void> {
    Transaction tx = co_await Transaction::begin(*pool_);
    co_await tx.execute("INSERT INTO t VALUES ($1)", params(1));
    co_await tx.copy_in("COPY t (x) FROM STDIN", "2\n3\n");
    co_await tx.rollback();
    EXPECT_FALSE(tx.open());
  }());
  EXPECT_EQ(rows(), 0);
  EXPECT_TRUE(connection_clean());
}

TEST_F(PgTransaction, AbandonedTransactionIsRolledBackAndLogged) {
  std::ostringstream log;
  obs::init_logging(obs::LogLevel::info, true,
                    std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  run([&]() -> Task<void> {
    Transaction tx = co_await Transaction::begin(*pool_);
    co_await tx.execute("INSERT INTO t VALUES (1)");
  }());
  obs::init_logging(obs::LogLevel::info, true);
  EXPECT_NE(log.str().find("abandoned without commit or rollback"), std::string::npos) << log.str();
  EXPECT_TRUE(connection_clean());
  EXPECT_EQ(rows(), 0);
  EXPECT_EQ(pool_->stats().connects_total, 1u);  // rolled back and reused, not replaced
}

TEST_F(PgTransaction, ErrorMidwayRollsBackEverything) {
  EXPECT_THROW(run([&]() -> Task<void> {
                 Transaction tx = co_await Transaction::begin(*pool_);
                 co_await tx.execute("INSERT INTO t VALUES (1)");
                 co_await tx.execute("INSERT INTO t VALUES (1)");  // duplicate key: 23505
               }()),
               QueryError);
  EXPECT_TRUE(connection_clean());
  EXPECT_EQ(rows(), 0);
}

TEST_F(PgTransaction, ErrorInTheFirstRoundTripLeavesNoTransaction) {
  EXPECT_THROW(run([&]() -> Task<void> {
                 Transaction tx = co_await Transaction::begin(*pool_);
                 co_await tx.execute("SELECT 1 / 0");
               }()),
               QueryError);
  EXPECT_TRUE(connection_clean());
}

TEST_F(PgTransaction, ErrorInTheCommitRoundTripRollsBackEverything) {
  EXPECT_THROW(run([&]() -> Task<void> {
                 Transaction tx = co_await Transaction::begin(*pool_);
                 co_await tx.execute("INSERT INTO t VALUES (1)");
                 std::vector<Statement> last;
                 last.push_back({"INSERT INTO t VALUES (2)", {}});
                 last.push_back({"INSERT INTO t VALUES (2)", {}});
                 co_await tx.commit(std::move(last));
               }()),
               QueryError);
  EXPECT_TRUE(connection_clean());
  EXPECT_EQ(rows(), 0);
}

TEST_F(PgTransaction, EndingATransactionThatSentNothingSendsNothing) {
  run([&]() -> Task<void> {
    Transaction committed = co_await Transaction::begin(*pool_);
    co_await committed.commit();
    Transaction rolled_back = co_await Transaction::begin(*pool_);
    co_await rolled_back.rollback();
  }());
  EXPECT_TRUE(round_trips_.empty());
}

}  // namespace
}  // namespace utxoiq::pg
