// pg::Connection against a real PostgreSQL 15: parameters and NULLs, automatic prepared
// statements, SQLSTATEs, statement timeout, transactions, cancellation, dead-connection probe.
#include <gtest/gtest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>

#include "pg/connection.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::pg {
namespace {

using testing::run_task;
using testing::TestServers;
using namespace std::chrono_literals;

// The embedded cluster wants its superuser's password over TCP (from this file).
std::string passfile() {
  return " passfile='" + TestServers::get().postgres_passfile() + "'";
}

class PgConnection : public ::testing::Test {
 protected:
  std::unique_ptr<Connection> open(ConnectOptions options = {}) {
    return run_task(io_, Connection::connect(io_.get_executor(), url_, std::move(options)));
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }

  boost::asio::io_context io_;
  std::string url_ = TestServers::get().create_database();
};

TEST_F(PgConnection, ExecutesWithParametersAndNulls) {
  auto conn = open();
  run(conn->execute_simple(
      "CREATE TABLE t (id bigint PRIMARY KEY, name text, score double precision, ok boolean, "
      "at timestamptz)"));
  const auto at = std::chrono::system_clock::now();
  const auto inserted = run(conn->execute(
      "INSERT INTO t VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)",
      params(1, "one", 1.25, true, at, 2, std::nullopt, std::nullopt, std::nullopt, std::nullopt)));
  EXPECT_EQ(inserted.affected_rows(), 2);

  const auto rows = run(conn->execute("SELECT id, name, score, ok, at FROM t ORDER BY id"));
  ASSERT_EQ(rows.rows(), 2);
  EXPECT_EQ(rows.int64(0, "id"), 1);
  EXPECT_EQ(rows.text(0, "name"), "one");
  EXPECT_DOUBLE_EQ(rows.float64(0, "score"), 1.25);
  EXPECT_TRUE(rows.boolean(0, "ok"));
  EXPECT_EQ(rows.timestamp(0, "at"), std::chrono::floor<std::chrono::microseconds>(at));
  for (int c = 1; c < 5; ++c) EXPECT_TRUE(rows.is_null(1, c)) << c;
  EXPECT_FALSE(rows.optional_text(1, "name"));
}

TEST_F(PgConnection, TextWithQuotesAndUnicodeIsSentVerbatim) {
  auto conn = open();
  const std::string tricky = "O'Reilly \"quoted\" \\ back; DROP TABLE x; -- ✓ ünïcødé";
  const auto result =
      run(conn->execute("SELECT $1::text AS v, length($1::text) AS n", params(tricky)));
  EXPECT_EQ(result.text(0, "v"), tricky);
}

TEST_F(PgConnection, PreparesOnFirstUseAndReusesAfterwards) {
  auto conn = open();
  const std::string sql = "SELECT $1::int + 1 AS n";
  EXPECT_EQ(conn->prepared_statement_count(), 0u);
  EXPECT_EQ(run(conn->execute(sql, params(1))).int64(0, "n"), 2);
  EXPECT_EQ(conn->prepared_statement_count(), 1u);
  EXPECT_EQ(run(conn->execute(sql, params(41))).int64(0, "n"), 42);
  EXPECT_EQ(conn->prepared_statement_count(), 1u);
  // The server holds exactly one prepared statement for that text.
  const auto prepared = run(conn->execute(
      "SELECT count(*) AS c FROM pg_prepared_statements WHERE statement = $1", params(sql)));
  EXPECT_EQ(prepared.int64(0, "c"), 1);
}

TEST_F(PgConnection, PreparedStatementCapFallsBackToUnnamed) {
  ConnectOptions options;
  options.max_prepared_statements = 2;
  auto conn = open(options);
  for (int i = 0; i < 5; ++i) {
    const auto result = run(conn->execute("SELECT " + std::to_string(i) + " AS n"));
    EXPECT_EQ(result.int64(0, "n"), i);
  }
  EXPECT_EQ(conn->prepared_statement_count(), 2u);
}

TEST_F(PgConnection, SqlErrorCarriesSqlstateAndConnectionStaysUsable) {
  auto conn = open();
  run(conn->execute_simple("CREATE TABLE u (email text CONSTRAINT u_email UNIQUE)"));
  run(conn->execute("INSERT INTO u VALUES ($1)", params("a@example.com")));
  try {
    run(conn->execute("INSERT INTO u VALUES ($1)", params("a@example.com")));
    FAIL() << "expected a unique violation";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "23505");
    EXPECT_EQ(e.constraint(), "u_email");
    EXPECT_EQ(std::string(e.what()).find("a@example.com"), std::string::npos);
  }
  EXPECT_FALSE(conn->broken());
  EXPECT_EQ(conn->transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(run(conn->execute("SELECT count(*) FROM u")).int64(0, 0), 1);
}

TEST_F(PgConnection, StatementThatFailsToPrepareIsNotRemembered) {
  auto conn = open();
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      run(conn->execute("SELEC 1"));
      FAIL() << "expected a syntax error";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.sqlstate(), "42601") << e.what();  // not 26000 "prepared statement missing"
    }
  }
  EXPECT_EQ(conn->prepared_statement_count(), 0u);
}

TEST_F(PgConnection, StatementTimeoutCancelsWith57014) {
  ConnectOptions options;
  options.statement_timeout_ms = 100;
  auto conn = open(options);
  try {
    run(conn->execute("SELECT pg_sleep(10)"));
    FAIL() << "expected statement_timeout";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "57014");
    EXPECT_TRUE(e.is_query_canceled());
  }
  EXPECT_FALSE(conn->broken());
  EXPECT_EQ(run(conn->execute("SHOW statement_timeout")).text(0, 0), "100ms");
}

TEST_F(PgConnection, SessionRunsInUtcWithApplicationName) {
  ConnectOptions options;
  options.application_name = "pg-connection-test";
  auto conn = open(options);
  EXPECT_EQ(run(conn->execute("SHOW TimeZone")).text(0, 0), "UTC");
  EXPECT_EQ(run(conn->execute("SHOW application_name")).text(0, 0), "pg-connection-test");
  EXPECT_GE(conn->server_version(), 150000);
  EXPECT_GT(conn->backend_pid(), 0);
}

TEST_F(PgConnection, ExecuteSimpleRunsSeveralStatements) {
  auto conn = open();
  run(conn->execute_simple("CREATE TABLE s (x int); INSERT INTO s VALUES (1), (2), (3);"));
  EXPECT_EQ(run(conn->execute("SELECT sum(x) FROM s")).int64(0, 0), 6);
  try {
    run(conn->execute_simple("INSERT INTO s VALUES (4); SELECT 1/0; INSERT INTO s VALUES (5);"));
    FAIL() << "expected division by zero";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "22012");
  }
  // One simple-query string is one implicit transaction: the first INSERT was rolled back.
  EXPECT_EQ(run(conn->execute("SELECT sum(x) FROM s")).int64(0, 0), 6);
}

TEST_F(PgConnection, TransactionStatusFollowsTheSession) {
  auto conn = open();
  EXPECT_EQ(conn->transaction_status(), TransactionStatus::kIdle);
  run(conn->execute("BEGIN"));
  EXPECT_EQ(conn->transaction_status(), TransactionStatus::kInTransaction);
  EXPECT_THROW(run(conn->execute("SELECT 1/0")), QueryError);
  EXPECT_EQ(conn->transaction_status(), TransactionStatus::kInError);
  try {
    run(conn->execute("SELECT 1"));
    FAIL() << "expected in-failed-transaction";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "25P02");
  }
  run(conn->execute("ROLLBACK"));
  EXPECT_EQ(conn->transaction_status(), TransactionStatus::kIdle);
}

TEST_F(PgConnection, UnreachableServerIsAConnectionErrorWithoutThePassword) {
  try {
    run_task(io_, Connection::connect(io_.get_executor(),
                                      "host=127.0.0.1 port=1 user=x password=hunter2 dbname=x"));
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConnection);
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
}

TEST_F(PgConnection, HostNamesAreResolvedAndEachAddressTried) {
  // "localhost" may resolve to ::1 first, where the test server does not listen: the connection
  // must still reach it on 127.0.0.1 (every resolved address becomes a host entry).
  const auto port = std::to_string(TestServers::get().postgres_port());
  auto conn = run_task(io_, Connection::connect(io_.get_executor(),
                                                "host=localhost port=" + port +
                                                    " user=postgres dbname=postgres" + passfile()));
  EXPECT_EQ(run(conn->execute("SELECT 1")).int64(0, 0), 1);
}

TEST_F(PgConnection, UnresolvableHostIsAConnectionError) {
  EXPECT_THROW(run_task(io_, Connection::connect(io_.get_executor(),
                                                 "host=no-such-host.invalid user=x dbname=x")),
               ConnectionError);
}

TEST_F(PgConnection, WrongDatabaseIsAConnectionError) {
  const auto port = std::to_string(TestServers::get().postgres_port());
  EXPECT_THROW(
      run_task(io_, Connection::connect(io_.get_executor(), "host=127.0.0.1 port=" + port +
                                                                " user=postgres dbname=no_such_db" +
                                                                passfile())),
      ConnectionError);
}

TEST_F(PgConnection, CancelledQueryLeavesTheConnectionBroken) {
  using namespace boost::asio::experimental::awaitable_operators;
  ConnectOptions options;
  options.statement_timeout_ms = 0;
  auto conn = open(options);
  const bool query_won = run([&]() -> Task<bool> {
    auto outcome = co_await (conn->execute("SELECT pg_sleep(30)") || testing::sleep_for(100ms));
    co_return outcome.index() == 0;
  }());
  EXPECT_FALSE(query_won);
  EXPECT_TRUE(conn->broken());  // its protocol state is unknown: never reused
  EXPECT_THROW(run(conn->execute("SELECT 1")), ConnectionError);
}

TEST_F(PgConnection, ClientSideIoTimeoutBreaksTheConnection) {
  ConnectOptions options;
  options.statement_timeout_ms = 0;
  options.io_timeout = 200ms;
  auto conn = open(options);
  EXPECT_THROW(run(conn->execute("SELECT pg_sleep(30)")), ConnectionError);
  EXPECT_TRUE(conn->broken());
}

TEST_F(PgConnection, SecondConcurrentOperationIsAUsageError) {
  auto conn = open();
  std::exception_ptr first_error;
  bool first_done = false;
  boost::asio::co_spawn(io_, conn->execute("SELECT pg_sleep(0.2)"),
                        [&](std::exception_ptr error, Result) {
                          first_error = error;
                          first_done = true;
                        });
  EXPECT_THROW(run(conn->execute("SELECT 1")), UsageError);
  while (!first_done) io_.run_one();
  EXPECT_FALSE(first_error);
  EXPECT_FALSE(conn->broken());
}

TEST_F(PgConnection, ProbeDetectsAConnectionTheServerClosed) {
  auto victim = open();
  auto admin = open();
  EXPECT_TRUE(victim->probe_idle());
  run(admin->execute("SELECT pg_terminate_backend($1)", params(victim->backend_pid())));
  // Termination is asynchronous: wait (bounded) until the server has closed the socket.
  bool detected = false;
  for (int i = 0; i < 500 && !detected; ++i) {
    detected = !victim->probe_idle();
    if (!detected) run(testing::sleep_for(10ms));
  }
  EXPECT_TRUE(detected);
  EXPECT_TRUE(victim->broken());
}

TEST_F(PgConnection, ObserverSeesEveryStatement) {
  std::vector<std::pair<std::string, std::string>> seen;  // sql, sqlstate
  ConnectOptions options;
  options.observer = [&](const QueryEvent& event) {
    seen.emplace_back(std::string(event.sql), event.ok ? "ok" : std::string(event.sqlstate));
  };
  auto conn = open(options);
  run(conn->execute("SELECT 1"));
  EXPECT_THROW(run(conn->execute("SELECT 1/0")), QueryError);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], (std::pair<std::string, std::string>{"SELECT 1", "ok"}));
  EXPECT_EQ(seen[1], (std::pair<std::string, std::string>{"SELECT 1/0", "22012"}));
}

}  // namespace
}  // namespace utxoiq::pg
