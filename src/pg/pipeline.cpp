// Extended-protocol statements: Connection::execute and Connection::pipeline. Both go through
// one engine that uses libpq pipeline mode, so even a single statement used for the first time
// costs one round trip: Parse (prepare) + Bind/Execute + Sync are sent together.
#include <spdlog/spdlog.h>

#include "pg/connection.hpp"
#include "pg/internal/connection_state.hpp"

namespace utxoiq::pg {

namespace {

using detail::ConnectionState;

struct StatementRef {
  std::string_view sql;
  const Params* params;
  StatementTag tag;
};

// What was queued, in order; each queued command yields its result(s) followed by a null.
struct QueuedCommand {
  bool is_prepare = false;
  std::size_t statement = 0;
  std::string name;  // for a prepare: the statement name to remember once it succeeded
};

std::vector<const char*> value_pointers(const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  return values;
}

// Sends every statement (preparing the new ones) and the Sync; returns what was queued.
std::vector<QueuedCommand> queue_statements(ConnectionState& state,
                                            std::span<const StatementRef> statements) {
  std::vector<QueuedCommand> queued;
  // Statements prepared in this batch: usable by later statements of the same batch, remembered
  // for good only once the server confirmed the Parse.
  std::unordered_map<std::string_view, std::string> preparing;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const auto& statement = statements[i];
    const auto values = value_pointers(*statement.params);
    const int count = static_cast<int>(values.size());

    const std::string* name = nullptr;
    if (auto known = state.prepared.find(statement.sql); known != state.prepared.end()) {
      name = &known->second;
    } else if (auto pending = preparing.find(statement.sql); pending != preparing.end()) {
      name = &pending->second;
    } else if (state.prepared.size() + preparing.size() < state.options.max_prepared_statements) {
      std::string fresh = "utxoiq_" + std::to_string(++state.statements_named);
      const std::string sql(statement.sql);
      // No parameter types given: the server infers them from the statement, as for literals.
      if (!PQsendPrepare(state.conn, fresh.c_str(), sql.c_str(), 0, nullptr))
        state.fail("cannot queue statement");
      queued.push_back({true, i, fresh});
      name = &preparing.emplace(statement.sql, std::move(fresh)).first->second;
    }

    int sent = 0;
    if (name) {
      sent =
          PQsendQueryPrepared(state.conn, name->c_str(), count, values.data(), nullptr, nullptr, 0);
    } else {
      const std::string sql(statement.sql);
      sent = PQsendQueryParams(state.conn, sql.c_str(), count, nullptr, values.data(), nullptr,
                               nullptr, 0);
    }
    if (!sent) state.fail("cannot queue statement");
    queued.push_back({false, i, {}});
  }
  if (!PQpipelineSync(state.conn)) state.fail("cannot queue pipeline sync");
  return queued;
}

Task<std::vector<Result>> run_batch(std::shared_ptr<ConnectionState> state,
                                    std::span<const StatementRef> statements, bool report_index) {
  detail::OperationScope scope(*state);
  std::vector<Result> results(statements.size());
  if (statements.empty()) {
    scope.settle();
    co_return results;
  }
  const auto started = ConnectionState::Clock::now();
  const bool was_idle = PQtransactionStatus(state->conn) == PQTRANS_IDLE;
  if (!PQenterPipelineMode(state->conn)) state->fail("cannot enter pipeline mode");

  const auto queued = queue_statements(*state, statements);
  co_await state->flush();

  std::optional<QueryError> error;
  for (const auto& command : queued) {
    const auto sql = statements[command.statement].sql;
    while (PGresult* raw = co_await state->next_result()) {
      Result result(raw);
      switch (PQresultStatus(raw)) {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
        case PGRES_EMPTY_QUERY:
          if (command.is_prepare) {
            state->prepared.emplace(std::string(sql), command.name);
          } else {
            results[command.statement] = std::move(result);
          }
          break;
        case PGRES_PIPELINE_ABORTED:  // skipped because an earlier statement failed
          break;
        case PGRES_FATAL_ERROR:
          if (!error) {
            error = state->query_error(
                raw, report_index ? std::optional<std::size_t>(command.statement) : std::nullopt);
            // A prepared plan whose result columns changed (ALTER TABLE) cannot be reused:
            // forget it, the next use prepares the SQL again under a new name.
            if (error->sqlstate() == sqlstate::kFeatureNotSupported && !command.is_prepare)
              state->prepared.erase(std::string(sql));
          }
          break;
        case PGRES_COPY_IN:
        case PGRES_COPY_OUT:
        case PGRES_COPY_BOTH:
          state->fail("COPY is not supported in execute/pipeline (use copy_in)");
        default:
          state->fail("unexpected result status from PostgreSQL");
      }
    }
  }
  {
    PGresult* sync = co_await state->next_result();
    const bool in_step = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (!in_step) state->fail("PostgreSQL pipeline out of step");
  }
  if (!PQexitPipelineMode(state->conn)) state->fail("cannot leave pipeline mode");

  if (error) co_await detail::rollback_if_left_failed(*state, was_idle);
  scope.settle();
  // Statements after the failed one were skipped: reported as not ok, without a SQLSTATE.
  const std::size_t failed_at = error ? error->statement_index().value_or(0) : statements.size();
  for (std::size_t i = 0; i < statements.size(); ++i) {
    state->notify(statements[i].sql, started, i < failed_at,
                  i == failed_at ? std::string_view(error->sqlstate()) : "", i, statements.size(),
                  statements[i].params, i < failed_at ? results[i].affected_rows() : -1,
                  statements[i].tag);
  }
  if (error) throw *error;
  co_return results;
}

}  // namespace

Task<Result> Connection::execute(std::string_view sql, Params params, StatementTag tag) {
  const StatementRef statement{sql, &params, tag};
  auto results = co_await run_batch(state_, std::span<const StatementRef>(&statement, 1), false);
  co_return std::move(results.front());
}

Task<std::vector<Result>> Connection::pipeline(std::span<const Statement> statements) {
  std::vector<StatementRef> refs;
  refs.reserve(statements.size());
  for (const auto& statement : statements)
    refs.push_back({statement.sql, &statement.params, statement.tag});
  co_return co_await run_batch(state_, refs, true);
}

}  // namespace utxoiq::pg
