// Connection set-up (PQconnectStartParams/PQconnectPoll on Asio), simple queries and accessors.
// Extended-protocol statements are in pipeline.cpp, COPY in copy.cpp.
#include "pg/connection.hpp"

#include <spdlog/spdlog.h>

#include "pg/conninfo.hpp"
#include "pg/host_resolution.hpp"
#include "pg/internal/connection_state.hpp"

namespace utxoiq::pg {

using detail::ConnectionState;
using Want = ConnectionState::Want;

namespace {

void log_notice(void* /*arg*/, const char* message) {
  // Notices ("relation already exists, skipping", ...) would go to stderr otherwise.
  std::string_view text(message);
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  spdlog::debug("postgres notice: {}", text);
}

}  // namespace

Connection::Connection(std::shared_ptr<ConnectionState> state) : state_(std::move(state)) {}

Connection::~Connection() = default;

Task<std::unique_ptr<Connection>> Connection::connect(boost::asio::any_io_executor executor,
                                                      std::string conninfo,
                                                      ConnectOptions options) {
  auto state = std::make_shared<ConnectionState>(executor, std::move(options));
  ConnectParams params = build_connect_params(
      conninfo,
      SessionSettings{state->options.statement_timeout_ms, state->options.application_name});
  const auto deadline = ConnectionState::Clock::now() + state->options.connect_timeout;
  co_await resolve_host_names(executor, params, deadline);  // libpq's own lookup would block
  const auto keywords = params.keyword_pointers();
  const auto values = params.value_pointers();

  state->conn = PQconnectStartParams(keywords.data(), values.data(), /*expand_dbname=*/0);
  if (!state->conn) throw ConnectionError("cannot allocate a PostgreSQL connection");
  if (PQstatus(state->conn) == CONNECTION_BAD) state->fail("cannot connect to PostgreSQL");

  // As the libpq manual prescribes: behave as if PQconnectPoll had returned WRITING first.
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  for (;;) {
    if (status == PGRES_POLLING_OK) break;
    if (status == PGRES_POLLING_FAILED) state->fail("cannot connect to PostgreSQL");
    state->rebind_socket();
    try {
      co_await state->wait(status == PGRES_POLLING_READING ? Want::kRead : Want::kWrite, deadline);
    } catch (const ConnectionError&) {
      if (ConnectionState::Clock::now() >= deadline)
        throw ConnectionError("connecting to PostgreSQL timed out after " +
                              std::to_string(state->options.connect_timeout.count()) + " ms");
      throw;
    }
    status = PQconnectPoll(state->conn);
  }

  if (PQsetnonblocking(state->conn, 1) != 0) state->fail("cannot make the connection non-blocking");
  PQsetNoticeProcessor(state->conn, &log_notice, nullptr);
  state->rebind_socket();
  spdlog::debug("pg connection {} open (backend pid {})", state->id, PQbackendPID(state->conn));
  co_return std::unique_ptr<Connection>(new Connection(std::move(state)));
}

Task<void> Connection::execute_simple(std::string_view sql) {
  auto state = state_;
  detail::OperationScope scope(*state);
  const auto started = ConnectionState::Clock::now();
  const bool was_idle = PQtransactionStatus(state->conn) == PQTRANS_IDLE;
  auto error = co_await detail::run_simple_query(*state, sql);
  if (error) co_await detail::rollback_if_left_failed(*state, was_idle);
  scope.settle();
  state->notify(sql, started, !error, error ? std::string_view(error->sqlstate()) : "", 0, 1);
  if (error) throw *error;
}

bool Connection::broken() const {
  return state_->broken || PQstatus(state_->conn) == CONNECTION_BAD;
}

void Connection::mark_broken() {
  state_->broken = true;
}

TransactionStatus Connection::transaction_status() const {
  switch (PQtransactionStatus(state_->conn)) {
    case PQTRANS_IDLE:
      return TransactionStatus::kIdle;
    case PQTRANS_ACTIVE:
      return TransactionStatus::kActive;
    case PQTRANS_INTRANS:
      return TransactionStatus::kInTransaction;
    case PQTRANS_INERROR:
      return TransactionStatus::kInError;
    default:
      return TransactionStatus::kUnknown;
  }
}

bool Connection::probe_idle() {
  if (broken() || state_->busy || transaction_status() != TransactionStatus::kIdle) return false;
  if (state_->ready_now(Want::kRead)) {
    // An idle session is sent nothing (we never LISTEN on pooled connections): readable means
    // the server said goodbye (57P01 at shutdown) or closed the socket.
    state_->broken = true;
    spdlog::debug("pg connection {} was closed by the server while idle", state_->id);
    return false;
  }
  return true;
}

int Connection::backend_pid() const {
  return PQbackendPID(state_->conn);
}

int Connection::server_version() const {
  return PQserverVersion(state_->conn);
}

std::uint64_t Connection::id() const {
  return state_->id;
}

std::uint64_t Connection::next_id() {
  return detail::ids_issued();
}

std::size_t Connection::prepared_statement_count() const {
  return state_->prepared.size();
}

}  // namespace utxoiq::pg
