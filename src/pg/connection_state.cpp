// Socket waiting, flushing and result reading for a libpq connection driven by Asio.
#include "pg/internal/connection_state.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

namespace utxoiq::pg::detail {

namespace asio = boost::asio;
using asio::experimental::make_parallel_group;
using asio::experimental::wait_for_one;

namespace {

std::atomic<std::uint64_t> next_connection_id{1};

// libpq's messages end with a newline and may contain tabs; one log line is wanted.
std::string one_line(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
    if (!space) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string field(const PGresult* result, int code) {
  const char* value = PQresultErrorField(result, code);
  return value ? value : "";
}

}  // namespace

std::uint64_t ids_issued() {
  return next_connection_id.load();
}

ConnectionState::ConnectionState(asio::any_io_executor executor, ConnectOptions opts)
    : socket(executor), timer(executor), options(std::move(opts)), id(next_connection_id++) {}

ConnectionState::~ConnectionState() {
  // release(), not close(): the descriptor belongs to libpq, which closes it in PQfinish.
  if (socket.is_open()) socket.release();
  if (conn) PQfinish(conn);
}

void ConnectionState::rebind_socket() {
  if (socket.is_open()) socket.release();
  const int fd = PQsocket(conn);
  if (fd < 0) fail("connection has no socket");
  boost::system::error_code ec;
  socket.assign(fd, ec);
  if (ec) {
    broken = true;
    throw ConnectionError("cannot watch the PostgreSQL socket: " + ec.message());
  }
}

std::chrono::milliseconds ConnectionState::io_timeout() const {
  if (options.io_timeout.count() > 0) return options.io_timeout;
  if (options.statement_timeout_ms > 0)
    return std::chrono::milliseconds{options.statement_timeout_ms} + std::chrono::seconds{10};
  return std::chrono::milliseconds{0};
}

bool ConnectionState::ready_now(Want want) const {
  pollfd descriptor{};
  descriptor.fd = PQsocket(conn);
  if (descriptor.fd < 0) return true;  // let the caller's next libpq call report the failure
  descriptor.events = want == Want::kRead    ? POLLIN
                      : want == Want::kWrite ? POLLOUT
                                             : POLLIN | POLLOUT;
  return ::poll(&descriptor, 1, 0) > 0 && descriptor.revents != 0;
}

Task<void> ConnectionState::wait(Want want, std::optional<Clock::time_point> deadline) {
  // Asio's epoll reactor is edge-triggered: readiness that arrived while no wait was pending
  // (libpq may leave data in the socket after one read) would never wake us. Ask the kernel first.
  if (ready_now(want)) co_return;

  if (!deadline && io_timeout().count() > 0) deadline = Clock::now() + io_timeout();
  timer.expires_at(deadline.value_or(Clock::time_point::max()));

  bool ready = false;
  bool timed_out = false;
  boost::system::error_code socket_error;
  if (want == Want::kReadOrWrite) {
    auto [order, read_ec, write_ec, timer_ec] =
        co_await make_parallel_group(socket.async_wait(socket.wait_read, asio::deferred),
                                     socket.async_wait(socket.wait_write, asio::deferred),
                                     timer.async_wait(asio::deferred))
            .async_wait(wait_for_one(), asio::use_awaitable);
    const auto first = order[0];
    ready = (first == 0 && !read_ec) || (first == 1 && !write_ec);
    timed_out = first == 2 && !timer_ec;
    socket_error = first == 0 ? read_ec : write_ec;
  } else {
    const auto type = want == Want::kRead ? socket.wait_read : socket.wait_write;
    auto [order, socket_ec, timer_ec] =
        co_await make_parallel_group(socket.async_wait(type, asio::deferred),
                                     timer.async_wait(asio::deferred))
            .async_wait(wait_for_one(), asio::use_awaitable);
    ready = order[0] == 0 && !socket_ec;
    timed_out = order[0] == 1 && !timer_ec;
    socket_error = socket_ec;
  }
  if (ready) co_return;
  if (timed_out) {
    broken = true;
    throw ConnectionError("PostgreSQL did not answer in time (client-side timeout)");
  }
  if (socket_error && socket_error != asio::error::operation_aborted) {
    broken = true;
    throw ConnectionError("PostgreSQL socket error: " + socket_error.message());
  }
  // Both waits were aborted: the awaiting coroutine was cancelled. OperationScope marks the
  // connection broken as the exception passes.
  throw boost::system::system_error(asio::error::operation_aborted);
}

Task<void> ConnectionState::flush() {
  for (;;) {
    const int status = PQflush(conn);
    if (status == 0) co_return;
    if (status < 0) fail("sending to PostgreSQL failed");
    co_await wait(Want::kReadOrWrite);
    if (ready_now(Want::kRead) && !PQconsumeInput(conn)) fail("reading from PostgreSQL failed");
  }
}

Task<PGresult*> ConnectionState::next_result() {
  const bool encrypted = PQsslInUse(conn) || PQgssEncInUse(conn);
  for (;;) {
    if (!PQconsumeInput(conn)) fail("reading from PostgreSQL failed");
    // With TLS (or GSS encryption) the rest of a record that libpq read only partly stays in the
    // library, where poll(2) cannot see it: waiting on the socket could then hang. A record is
    // at most 16 kB and libpq reads at least 8 kB per call, so two more reads drain it.
    for (int extra = 0; encrypted && extra < 2 && PQisBusy(conn); ++extra)
      if (!PQconsumeInput(conn)) fail("reading from PostgreSQL failed");
    if (!PQisBusy(conn)) co_return PQgetResult(conn);
    co_await wait(Want::kRead);
  }
}

void ConnectionState::fail(std::string_view what) {
  broken = true;
  std::string message(what);
  if (conn) {
    const std::string detail = one_line(PQerrorMessage(conn));
    if (!detail.empty()) message += ": " + detail;
  }
  throw ConnectionError(message);
}

QueryError ConnectionState::query_error(const PGresult* result,
                                        std::optional<std::size_t> statement_index) {
  QueryError::Fields fields;
  fields.sqlstate = field(result, PG_DIAG_SQLSTATE);
  fields.message = one_line(field(result, PG_DIAG_MESSAGE_PRIMARY));
  if (fields.message.empty()) fields.message = one_line(PQresultErrorMessage(result));
  fields.detail = field(result, PG_DIAG_MESSAGE_DETAIL);
  fields.constraint = field(result, PG_DIAG_CONSTRAINT_NAME);
  fields.statement_index = statement_index;
  if (PQstatus(conn) == CONNECTION_BAD || fields.sqlstate.empty() ||
      is_connection_sqlstate(fields.sqlstate)) {
    // No SQLSTATE means libpq generated the error itself: the connection, not the statement.
    broken = true;
    throw ConnectionError("PostgreSQL connection lost: " + fields.message);
  }
  return QueryError(std::move(fields));
}

void ConnectionState::notify(std::string_view sql, Clock::time_point started, bool ok,
                             std::string_view sqlstate, std::size_t index, std::size_t size,
                             const Params* params, std::int64_t rows, StatementTag tag) const {
  if (!options.observer) return;
  QueryEvent event;
  event.sql = sql;
  event.duration = Clock::now() - started;
  event.ok = ok;
  event.sqlstate = sqlstate;
  event.statement_index = index;
  event.pipeline_size = size;
  event.params = params;
  event.rows = rows;
  event.tag = tag;
  try {
    options.observer(event);
  } catch (const std::exception& e) {
    // An observer is diagnostics only; it must not turn a good query into a failed one.
    spdlog::warn("pg query observer threw: {}", e.what());
  }
}

OperationScope::OperationScope(ConnectionState& state) : state_(state) {
  if (state_.broken) throw ConnectionError("PostgreSQL connection is broken");
  if (state_.busy)
    throw UsageError("PostgreSQL connection is already running an operation (one at a time)");
  state_.busy = true;
}

OperationScope::~OperationScope() {
  state_.busy = false;
  if (!settled_ && !state_.broken) {
    state_.broken = true;
    spdlog::debug("pg connection {} interrupted mid-operation; it will not be reused", state_.id);
  }
}

Task<std::optional<QueryError>> run_simple_query(ConnectionState& state, std::string_view sql) {
  const std::string text(sql);
  if (!PQsendQuery(state.conn, text.c_str())) state.fail("cannot send query");
  co_await state.flush();
  std::optional<QueryError> error;
  while (PGresult* raw = co_await state.next_result()) {
    const Result result(raw);
    switch (PQresultStatus(raw)) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        break;
      case PGRES_FATAL_ERROR:
        if (!error) error = state.query_error(raw, std::nullopt);
        break;
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:
        state.fail("COPY is not supported here (use copy_in)");
      default:
        state.fail("unexpected result status from PostgreSQL");
    }
  }
  co_return error;
}

Task<void> rollback_if_left_failed(ConnectionState& state, bool was_idle) {
  if (!was_idle || PQtransactionStatus(state.conn) != PQTRANS_INERROR) co_return;
  try {
    if (auto error = co_await run_simple_query(state, "ROLLBACK")) state.broken = true;
  } catch (const ConnectionError&) {
    // already marked broken
  }
}

}  // namespace utxoiq::pg::detail
