#pragma once
// One asynchronous PostgreSQL connection: libpq in non-blocking mode, its socket driven by the
// service's Asio event loop, so a query never blocks the thread that also serves HTTP.
// Every statement is sent in the extended protocol with text parameters and is prepared
// automatically the first time its SQL text is used on this connection (then only Bind/Execute go
// over the wire). pipeline() sends a whole batch in one round trip (libpq pipeline mode).
//
// A Connection belongs to one executor (one thread) and runs one operation at a time; awaiting a
// second operation while one is in flight throws UsageError. If an operation is interrupted
// (coroutine destroyed or cancelled, connection lost, client-side timeout) the connection marks
// itself broken() and refuses further work: its protocol state is unknown.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pg/errors.hpp"
#include "pg/params.hpp"
#include "pg/result.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {

namespace detail {
class ConnectionState;
}

// Reported after every operation, for slow-query logs, N+1 detection and latency histograms.
struct QueryEvent {
  std::string_view sql;
  std::chrono::nanoseconds duration{0};  // the whole round trip (for a pipeline: the pipeline's)
  bool ok = true;
  std::string_view sqlstate;        // of the failure; empty when ok or when the connection failed
  std::size_t statement_index = 0;  // position in the pipeline (0 for execute)
  std::size_t pipeline_size = 1;
  const Params* params = nullptr;  // of execute/pipeline statements (to EXPLAIN them again)
  std::int64_t rows = -1;          // returned or affected; -1 when unknown
  StatementTag tag{};              // of the store statement; empty store when untagged
};
using QueryObserver = std::function<void(const QueryEvent&)>;

struct ConnectOptions {
  // Whole connection set-up (TCP, TLS, authentication), enforced by us: libpq does not apply its
  // own connect_timeout to non-blocking connects.
  std::chrono::milliseconds connect_timeout{5000};
  // Server-side statement_timeout of the session (57014 query_canceled when hit); 0 = none.
  int statement_timeout_ms = 5000;
  std::string application_name = "utxoiq-store";
  // Client-side guard for a server that stops answering (network partition): waiting this long
  // for the socket fails the operation with ConnectionError. 0 = statement_timeout + 10 s, or no
  // guard when statement_timeout_ms is 0 too.
  std::chrono::milliseconds io_timeout{0};
  // Per-connection cap of automatically prepared statements. Past it, new SQL texts run unnamed
  // (still one round trip) so ad-hoc SQL cannot grow server memory without bound.
  std::size_t max_prepared_statements = 256;
  QueryObserver observer;  // optional
};

enum class TransactionStatus { kIdle, kActive, kInTransaction, kInError, kUnknown };

class Connection {
 public:
  // Throws ConnectionError when the server cannot be reached, refuses us, or connect_timeout
  // passes. The connection's socket is driven by `executor`.
  static Task<std::unique_ptr<Connection>> connect(boost::asio::any_io_executor executor,
                                                   std::string conninfo,
                                                   ConnectOptions options = {});

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement with $1..$n parameters. QueryError (with sqlstate) when the server rejects it;
  // ConnectionError when the connection is lost (it is then broken()).
  Task<Result> execute(std::string_view sql, Params params = {}, StatementTag tag = {});

  // All statements in one round trip; one Result per statement, in order. When one fails, the
  // statements after it are skipped by the server and QueryError::statement_index() tells which
  // one failed. Without an explicit BEGIN the batch is one implicit transaction (all or nothing);
  // with BEGIN ... COMMIT inside, a failure is rolled back here before throwing, so the
  // connection is back out of any transaction (a transaction opened before the call is left as
  // it is, in failed state, for the caller to roll back).
  Task<std::vector<Result>> pipeline(std::span<const Statement> statements);

  // Multi-statement SQL text without parameters (simple query protocol), e.g. "SET ...; SET ...".
  Task<void> execute_simple(std::string_view sql);

  // COPY ... FROM STDIN with `data` in COPY text format (tab-separated, \N for NULL, one line per
  // row); returns the number of rows copied.
  Task<std::int64_t> copy_in(std::string_view copy_sql, std::string_view data,
                             StatementTag tag = {});

  bool broken() const;
  void mark_broken();
  TransactionStatus transaction_status() const;
  // Cheap check without a round trip, for a connection that has been idle: false when it is
  // broken, not idle, or when its socket has become readable (an idle session receives nothing
  // unless the server has sent its termination message or closed: e.g. after a restart). A
  // connection found dead is marked broken.
  bool probe_idle();

  int backend_pid() const;
  int server_version() const;  // e.g. 150004
  std::uint64_t id() const;    // unique per Connection object in this process
  // Ids are issued in the order connects begin: every connect begun after this call gets an id
  // >= its result (Pool::retarget tells old-target connections from new ones by it).
  static std::uint64_t next_id();
  std::size_t prepared_statement_count() const;

 private:
  explicit Connection(std::shared_ptr<detail::ConnectionState> state);
  std::shared_ptr<detail::ConnectionState> state_;
};

}  // namespace utxoiq::pg
