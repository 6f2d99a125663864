// pg::Connection::pipeline against a real PostgreSQL 15: one round trip for a batch, the failing
// statement reported by index, transactions rolled back, prepared statements within a batch.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "pg/connection.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::pg {
namespace {

using testing::run_task;
using testing::TestServers;

class PgPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = open();
    run(conn_->execute_simple(
        "CREATE TABLE jobs (id bigint PRIMARY KEY, status text NOT NULL, progress int)"));
  }
  std::unique_ptr<Connection> open() {
    return run_task(io_, Connection::connect(io_.get_executor(), url_));
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }
  std::int64_t count_jobs() {
    auto other = open();  // a separate session sees only committed rows
    return run(other->execute("SELECT count(*) FROM jobs")).int64(0, 0);
  }

  boost::asio::io_context io_;
  std::string url_ = TestServers::get().create_database();
  std::unique_ptr<Connection> conn_;
};

TEST_F(PgPipeline, TransactionInOneCall) {
  const std::vector<Statement> batch{
      {"BEGIN", {}},
      {"INSERT INTO jobs VALUES ($1, $2, $3) RETURNING id", params(7, "running", 0)},
      {"UPDATE jobs SET progress = $2 WHERE id = $1", params(7, 50)},
      {"SELECT status, progress FROM jobs WHERE id = $1", params(7)},
      {"COMMIT", {}},
  };
  const auto results = run(conn_->pipeline(batch));
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[1].int64(0, "id"), 7);
  EXPECT_EQ(results[2].affected_rows(), 1);
  EXPECT_EQ(results[3].text(0, "status"), "running");
  EXPECT_EQ(results[3].int64(0, "progress"), 50);
  EXPECT_EQ(results[4].command_tag(), "COMMIT");
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(count_jobs(), 1);
}

TEST_F(PgPipeline, FailureReportsTheStatementAndRollsBackItsTransaction) {
  run(conn_->execute("INSERT INTO jobs VALUES (1, 'done', 100)"));
  const std::vector<Statement> batch{
      {"BEGIN", {}},
      {"INSERT INTO jobs VALUES ($1, $2, $3)", params(2, "running", 0)},
      {"INSERT INTO jobs VALUES ($1, $2, $3)", params(1, "duplicate", 0)},
      {"UPDATE jobs SET progress = 1", {}},
      {"COMMIT", {}},
  };
  try {
    run(conn_->pipeline(batch));
    FAIL() << "expected a unique violation";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "23505");
    EXPECT_EQ(e.statement_index(), 2u);
  }
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kIdle);
  EXPECT_FALSE(conn_->broken());
  EXPECT_EQ(count_jobs(), 1);
  EXPECT_EQ(run(conn_->execute("SELECT progress FROM jobs WHERE id = 1")).int64(0, 0), 100);
}

TEST_F(PgPipeline, WithoutBeginTheBatchIsAllOrNothing) {
  const std::vector<Statement> batch{
      {"INSERT INTO jobs VALUES ($1, $2, $3)", params(10, "running", 0)},
      {"INSERT INTO jobs VALUES ($1, $2, $3)", params(11, std::nullopt, 0)},  // NOT NULL
  };
  try {
    run(conn_->pipeline(batch));
    FAIL() << "expected a not-null violation";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "23502");
    EXPECT_EQ(e.statement_index(), 1u);
  }
  EXPECT_EQ(count_jobs(), 0);
}

TEST_F(PgPipeline, CallersOwnTransactionIsLeftToTheCaller) {
  run(conn_->execute("BEGIN"));
  run(conn_->execute("INSERT INTO jobs VALUES (1, 'a', 0)"));
  const std::vector<Statement> batch{{"INSERT INTO jobs VALUES (1, 'b', 0)", {}}};
  EXPECT_THROW(run(conn_->pipeline(batch)), QueryError);
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kInError);
  run(conn_->execute("ROLLBACK"));
  EXPECT_EQ(count_jobs(), 0);
}

TEST_F(PgPipeline, RepeatedStatementIsPreparedOnceWithinTheBatch) {
  const auto before = conn_->prepared_statement_count();
  std::vector<Statement> batch;
  for (int i = 0; i < 3; ++i)
    batch.push_back({"INSERT INTO jobs VALUES ($1, $2, $3)", params(100 + i, "queued", i)});
  run(conn_->pipeline(batch));
  EXPECT_EQ(conn_->prepared_statement_count(), before + 1);
  for (int i = 0; i < 3; ++i) batch[i].params = params(200 + i, "queued", i);
  run(conn_->pipeline(batch));  // reuses the statement prepared by the first batch
  EXPECT_EQ(conn_->prepared_statement_count(), before + 1);
  EXPECT_EQ(count_jobs(), 6);
}

TEST_F(PgPipeline, AFailedPrepareInABatchIsNotRemembered) {
  const std::vector<Statement> batch{{"SELECT 1", {}}, {"SELEC 2", {}}};
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      run(conn_->pipeline(batch));
      FAIL() << "expected a syntax error";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.sqlstate(), "42601");
      EXPECT_EQ(e.statement_index(), 1u);
    }
  }
  EXPECT_EQ(run(conn_->execute("SELECT 3")).int64(0, 0), 3);
}

TEST_F(PgPipeline, EmptyBatchIsEmpty) {
  EXPECT_TRUE(run(conn_->pipeline({})).empty());
}

TEST_F(PgPipeline, LargeBatchDoesNotDeadlock) {
  // Megabytes each way: the client must read results while it is still sending statements.
  const std::string payload(2000, 'x');
  std::vector<Statement> batch{{"BEGIN", {}}};
  for (int i = 0; i < 3000; ++i)
    batch.push_back(
        {"INSERT INTO jobs VALUES ($1, $2, $3) RETURNING status", params(i, payload, i)});
  batch.push_back({"COMMIT", {}});
  const auto results = run(conn_->pipeline(batch));
  ASSERT_EQ(results.size(), batch.size());
  EXPECT_EQ(results[1500].text(0, 0), payload);
  EXPECT_EQ(count_jobs(), 3000);
}

TEST_F(PgPipeline, PlanInvalidatedByAlterTableIsPreparedAgain) {
  run(conn_->execute("INSERT INTO jobs VALUES (1, 'a', 0)"));
  const std::string sql = "SELECT * FROM jobs";
  EXPECT_EQ(run(conn_->execute(sql)).columns(), 3);
  run(conn_->execute_simple("ALTER TABLE jobs ADD COLUMN note text"));
  try {
    run(conn_->execute(sql));  // the server refuses the cached plan once
    FAIL() << "expected 'cached plan must not change result type'";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "0A000");
  }
  EXPECT_EQ(run(conn_->execute(sql)).columns(), 4);
}

}  // namespace
}  // namespace utxoiq::pg
