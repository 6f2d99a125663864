// COPY ... FROM STDIN on a non-blocking connection (bulk metric ingest): data goes out in chunks
// with PQputCopyData, waiting for the socket whenever libpq's buffer is full.
#include <algorithm>

#include "pg/connection.hpp"
#include "pg/internal/connection_state.hpp"

namespace utxoiq::pg {

namespace {

using detail::ConnectionState;
using Want = ConnectionState::Want;

constexpr std::size_t kChunkBytes = 64 * 1024;

// Reads the results that follow the COPY (or a failed start of it) up to the final null.
Task<std::optional<QueryError>> drain(ConnectionState& state, std::int64_t& rows) {
  std::optional<QueryError> error;
  while (PGresult* raw = co_await state.next_result()) {
    const Result result(raw);
    const auto status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK) {
      rows = result.affected_rows();
    } else if (status == PGRES_FATAL_ERROR) {
      if (!error) error = state.query_error(raw, std::nullopt);
    } else {
      state.fail("unexpected result status after COPY");
    }
  }
  co_return error;
}

// PQputCopyData / PQputCopyEnd return 0 when libpq's output buffer is full (non-blocking mode):
// wait until the socket takes more, then try again.
Task<void> make_room(ConnectionState& state) {
  co_await state.wait(Want::kReadOrWrite);
  if (state.ready_now(Want::kRead) && !PQconsumeInput(state.conn))
    state.fail("reading from PostgreSQL failed");
  if (PQflush(state.conn) < 0) state.fail("sending to PostgreSQL failed");
}

}  // namespace

Task<std::int64_t> Connection::copy_in(std::string_view copy_sql, std::string_view data,
                                       StatementTag tag) {
  auto state = state_;
  detail::OperationScope scope(*state);
  const auto started = ConnectionState::Clock::now();
  const std::string sql(copy_sql);
  if (!PQsendQueryParams(state->conn, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0))
    state->fail("cannot send COPY");
  co_await state->flush();

  std::int64_t rows = 0;
  PGresult* first = co_await state->next_result();
  if (!first) state->fail("no result for COPY");
  const auto first_status = PQresultStatus(first);
  if (first_status != PGRES_COPY_IN) {
    const Result result(first);
    std::optional<QueryError> error;
    if (first_status == PGRES_FATAL_ERROR) {
      error = state->query_error(first, std::nullopt);
    } else if (first_status == PGRES_COPY_OUT || first_status == PGRES_COPY_BOTH) {
      state->fail("copy_in needs COPY ... FROM STDIN");
    }
    if (auto later = co_await drain(*state, rows); !error) error = std::move(later);
    scope.settle();
    if (!error) throw UsageError("copy_in needs a COPY ... FROM STDIN statement");
    state->notify(copy_sql, started, false, error->sqlstate(), 0, 1, nullptr, -1, tag);
    throw *error;
  }
  PQclear(first);

  for (std::size_t offset = 0; offset < data.size();) {
    const std::size_t size = std::min(kChunkBytes, data.size() - offset);
    const int queued = PQputCopyData(state->conn, data.data() + offset, static_cast<int>(size));
    if (queued < 0) state->fail("sending COPY data failed");
    if (queued == 0) {
      co_await make_room(*state);
      continue;
    }
    offset += size;
  }
  for (;;) {
    const int ended = PQputCopyEnd(state->conn, nullptr);
    if (ended < 0) state->fail("ending COPY failed");
    if (ended == 1) break;
    co_await make_room(*state);
  }
  co_await state->flush();

  auto error = co_await drain(*state, rows);
  scope.settle();
  state->notify(copy_sql, started, !error, error ? std::string_view(error->sqlstate()) : "", 0, 1,
                nullptr, -1, tag);
  if (error) throw *error;
  co_return rows;
}

}  // namespace utxoiq::pg
