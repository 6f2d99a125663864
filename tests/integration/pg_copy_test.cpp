// pg::Connection::copy_in against a real PostgreSQL 15 (bulk metric ingest).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "pg/connection.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::pg {
namespace {

using testing::run_task;
using testing::TestServers;

class PgCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = run_task(io_, Connection::connect(io_.get_executor(), url_));
    run(conn_->execute_simple(
        "CREATE TABLE metrics (name text NOT NULL, value double precision, at timestamptz)"));
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }
  std::int64_t count() { return run(conn_->execute("SELECT count(*) FROM metrics")).int64(0, 0); }

  boost::asio::io_context io_;
  std::string url_ = TestServers::get().create_database();
  std::unique_ptr<Connection> conn_;
};

TEST_F(PgCopy, CopiesRowsIncludingNullsAndEscapes) {
  const std::string data =
      "cpu\t0.5\t2024-05-01 00:00:00+00\n"
      "mem\t\\N\t2024-05-01 00:00:01+00\n"
      "tab\\there\t1e3\t\\N\n";
  EXPECT_EQ(run(conn_->copy_in("COPY metrics (name, value, at) FROM STDIN", data)), 3);
  const auto rows = run(conn_->execute("SELECT name, value, at FROM metrics ORDER BY name"));
  ASSERT_EQ(rows.rows(), 3);
  EXPECT_EQ(rows.text(0, "name"), "cpu");
  EXPECT_DOUBLE_EQ(rows.float64(0, "value"), 0.5);
  EXPECT_TRUE(rows.is_null(1, "value"));
  EXPECT_EQ(rows.text(2, "name"), "tab\there");
  EXPECT_DOUBLE_EQ(rows.float64(2, "value"), 1000.0);
  EXPECT_TRUE(rows.is_null(2, "at"));
}

TEST_F(PgCopy, LargeCopyIsSentInChunks) {
  std::string data;
  constexpr int kRows = 200'000;  // about 6 MB: many chunks, libpq's buffer fills up
  for (int i = 0; i < kRows; ++i)
    data += "metric_" + std::to_string(i % 97) + "\t" + std::to_string(i) + ".25\t\\N\n";
  EXPECT_EQ(run(conn_->copy_in("COPY metrics (name, value, at) FROM STDIN", data)), kRows);
  EXPECT_EQ(count(), kRows);
  EXPECT_DOUBLE_EQ(run(conn_->execute("SELECT max(value) FROM metrics")).float64(0, 0),
                   kRows - 1 + 0.25);
}

TEST_F(PgCopy, EmptyDataCopiesNothing) {
  EXPECT_EQ(run(conn_->copy_in("COPY metrics FROM STDIN", "")), 0);
  EXPECT_EQ(count(), 0);
}

TEST_F(PgCopy, BadRowFailsTheWholeCopyAndConnectionStaysUsable) {
  const std::string data = "ok\t1\t\\N\nbad\tnot-a-number\t\\N\n";
  try {
    run(conn_->copy_in("COPY metrics FROM STDIN", data));
    FAIL() << "expected invalid input syntax";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "22P02");
  }
  EXPECT_FALSE(conn_->broken());
  EXPECT_EQ(count(), 0);
}

TEST_F(PgCopy, MissingTableIsAQueryError) {
  try {
    run(conn_->copy_in("COPY no_such_table FROM STDIN", "x\n"));
    FAIL() << "expected undefined table";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "42P01");
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(PgCopy, NonCopyStatementIsAUsageError) {
  EXPECT_THROW(run(conn_->copy_in("SELECT 1", "")), UsageError);
  EXPECT_FALSE(conn_->broken());
  EXPECT_EQ(count(), 0);
}

}  // namespace
}  // namespace utxoiq::pg
