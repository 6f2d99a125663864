#pragma once
// INTERNAL to src/pg: the state behind a Connection and the socket-waiting primitives shared by
// connection.cpp, pipeline.cpp and copy.cpp. Includes Asio and libpq, so only pg/*.cpp include it.
#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pg/connection.hpp"

namespace utxoiq::pg::detail {

// Hash/equality that let the prepared-statement map be searched with a string_view (no copy of
// the SQL text per execution).
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};
struct TextEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

// The id the next connect will get (ids start at 1 and grow by one per connect begun).
std::uint64_t ids_issued();

class ConnectionState {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Want { kRead, kWrite, kReadOrWrite };

  ConnectionState(boost::asio::any_io_executor executor, ConnectOptions options);
  ~ConnectionState();  // releases the socket from Asio (libpq owns the fd) and PQfinish()es
  ConnectionState(const ConnectionState&) = delete;
  ConnectionState& operator=(const ConnectionState&) = delete;

  // (Re)registers PQsocket() with Asio. During connect libpq may close its socket and open
  // another one (next address or host), possibly under the same fd number, so it is re-bound
  // after every PQconnectPoll step.
  void rebind_socket();

  // Suspends until the socket is ready as wanted. Fails with ConnectionError (and marks the
  // connection broken) on socket error or when `deadline` (default: now + io_timeout) passes;
  // rethrows operation_aborted when the awaiting coroutine is cancelled.
  Task<void> wait(Want want, std::optional<Clock::time_point> deadline = std::nullopt);
  // PQflush until everything queued is sent, reading meanwhile so that a server blocked on
  // sending us results does not deadlock with us blocked on sending it more statements.
  Task<void> flush();
  // Reads until PQgetResult would not block, then returns PQgetResult() (null = end of a
  // command's results).
  Task<PGresult*> next_result();

  // Marks the connection broken and throws ConnectionError with libpq's message.
  [[noreturn]] void fail(std::string_view what);
  // QueryError from a failed result; a failure that means the session is gone (connection lost,
  // server shutting down) marks the connection broken and throws ConnectionError instead.
  QueryError query_error(const PGresult* result, std::optional<std::size_t> statement_index);
  void notify(std::string_view sql, Clock::time_point started, bool ok, std::string_view sqlstate,
              std::size_t index, std::size_t size, const Params* params = nullptr,
              std::int64_t rows = -1, StatementTag tag = {}) const;

  std::chrono::milliseconds io_timeout() const;
  bool ready_now(Want want) const;  // poll(2) with a zero timeout

  PGconn* conn = nullptr;
  boost::asio::posix::stream_descriptor socket;
  boost::asio::steady_timer timer;
  ConnectOptions options;
  std::uint64_t id;
  bool broken = false;
  bool busy = false;
  // SQL text -> name of the server-side prepared statement.
  std::unordered_map<std::string, std::string, TextHash, TextEqual> prepared;
  std::uint64_t statements_named = 0;
};

// Guards one operation on a connection: refuses a broken or busy connection, and marks the
// connection broken unless the operation reached a point where the protocol is known to be in
// step (settle()). That covers exceptions, cancellation and a coroutine frame destroyed mid-query.
class OperationScope {
 public:
  explicit OperationScope(ConnectionState& state);
  ~OperationScope();
  OperationScope(const OperationScope&) = delete;
  OperationScope& operator=(const OperationScope&) = delete;
  void settle() { settled_ = true; }

 private:
  ConnectionState& state_;
  bool settled_ = false;
};

// Runs a simple-protocol query (no pipeline mode) to its end. Returns the first statement error,
// if any; connection failures throw.
Task<std::optional<QueryError>> run_simple_query(ConnectionState& state, std::string_view sql);

// After a failed operation that started outside any transaction but left one open in failed
// state (an explicit BEGIN inside it): roll it back so the connection is clean again. Errors
// here only mark the connection broken; the caller throws its original QueryError.
Task<void> rollback_if_left_failed(ConnectionState& state, bool was_idle);

}  // namespace utxoiq::pg::detail
