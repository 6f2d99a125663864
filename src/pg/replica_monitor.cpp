// The per-replica monitor loop: lag poll every second, full check every health interval (and at
// once after a failed poll); see replica_set.hpp for what each one reads and why.
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "obs/logging.hpp"
#include "pg/errors.hpp"
#include "pg/internal/replica_host.hpp"

namespace utxoiq::pg {

namespace {

constexpr std::string_view kSystemId =
    "SELECT system_identifier::text AS id FROM pg_control_system()";
constexpr std::string_view kFullCheck =
    "SELECT pg_is_in_recovery() AS in_recovery, "
    "(SELECT system_identifier::text FROM pg_control_system()) AS id";
constexpr std::string_view kPrimaryLsn = "SELECT pg_current_wal_lsn()::text AS lsn";
constexpr std::string_view kReplicaLsn =
    "SELECT pg_last_wal_receive_lsn()::text AS received, pg_last_wal_replay_lsn()::text AS "
    "replayed, pg_last_xact_replay_timestamp() AS replayed_at";

Lsn lsn_or_zero(const Result& result, std::string_view column) {
  const auto text = result.optional_text(0, column);
  const auto lsn = text ? parse_lsn(*text) : std::nullopt;
  return lsn.value_or(Lsn{});
}

// The full check: the problem that excludes the host, or "" when it passes.
Task<std::string> full_check(ReplicaSet::State& state, ReplicaHost& host) {
  if (!state.primary_system_id) {
    const Result primary = co_await state.primary.execute_here(kSystemId);
    state.primary_system_id = std::string(primary.text(0, "id"));
  }
  const Result answer = co_await host.pool.execute(kFullCheck);
  if (!answer.boolean(0, "in_recovery")) {
    co_return "not in recovery: the host is a primary, not a replica of this primary";
  }
  if (answer.text(0, "id") != *state.primary_system_id) {
    co_return "system identifier " + std::string(answer.text(0, "id")) +
        " differs from the primary's " + *state.primary_system_id +
        ": a replica of another cluster";
  }
  co_return std::string{};
}

Task<void> poll_lag(ReplicaSet::State& state, ReplicaHost& host) {
  const auto primary_read_at = WallClock::now();
  const Result primary = co_await state.primary.execute_here(kPrimaryLsn);
  const Result replica = co_await host.pool.execute(kReplicaLsn);
  LagSample sample;
  sample.primary_read_at = primary_read_at;
  sample.primary_lsn = lsn_or_zero(primary, "lsn");
  sample.replay_lsn = lsn_or_zero(replica, "replayed");
  sample.receive_lsn = std::max(sample.replay_lsn, lsn_or_zero(replica, "received"));
  if (!replica.is_null(0, "replayed_at"))
    sample.replay_timestamp = replica.timestamp(0, "replayed_at");
  sample.replica_read_at = WallClock::now();
  host.view.lag = host.lag_tracker.observe(sample);
  host.view.replay_lsn = std::max(host.view.replay_lsn, sample.replay_lsn);
  host.sampled_at = CheckSchedule::Clock::now();
  host.lag_known = true;
}

Task<void> check_once(ReplicaSet::State& state, ReplicaHost& host) {
  const auto now = CheckSchedule::Clock::now();
  try {
    if (host.schedule.due(now)) {
      host.schedule.checked(now);
      host.problem = co_await full_check(state, host);
      host.check_passed = host.problem.empty();
      if (host.check_passed && !host.started) {
        co_await host.pool.start();
        host.started = true;
      }
    }
    if (host.check_passed) co_await poll_lag(state, host);
  } catch (const std::exception& e) {
    host.check_passed = false;
    host.problem = e.what();
    host.schedule.connection_failed(CheckSchedule::Clock::now());
  }
  if (host.problem != host.logged_problem && !host.problem.empty()) {
    obs::log_warn("database replica excluded",
                  {{"host", host.pool.options().name}, {"reason", host.problem}});
  }
  host.logged_problem = host.problem;
  state.update_state(host);
}

}  // namespace

Task<void> monitor_replica(std::shared_ptr<ReplicaSet::State> state, ReplicaHost& host) {
  while (!state->stopped) {
    co_await check_once(*state, host);
    if (state->stopped) break;
    host.timer.expires_after(state->options.lag_poll_interval);
    boost::system::error_code ec;
    co_await host.timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

}  // namespace utxoiq::pg
