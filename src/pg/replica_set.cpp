// Replica pools, routing and status; the monitor loop is in replica_monitor.cpp.
#include "pg/replica_set.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cassert>
#include <stdexcept>

#include "obs/logging.hpp"
#include "pg/errors.hpp"
#include "pg/internal/replica_host.hpp"
#include "resilience/circuit_breaker.hpp"

namespace utxoiq::pg {

namespace {

bool breaker_allows(const Pool& pool) {
  const auto& breaker = pool.options().breaker;
  return !breaker || breaker->state() != resilience::BreakerState::open;
}

double since_ms(CheckSchedule::Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(CheckSchedule::Clock::now() - start).count();
}

}  // namespace

std::vector<ReplicaView> ReplicaSet::State::views() const {
  std::vector<ReplicaView> out;
  out.reserve(hosts.size());
  const auto now = CheckSchedule::Clock::now();
  for (const auto& host : hosts) {
    ReplicaView view = host->view;
    view.sample_age_s = std::chrono::duration<double>(now - host->sampled_at).count();
    const auto stats = host->pool.stats();
    view.load.in_flight = stats.active;
    view.load.pool_max = std::max<std::size_t>(stats.max_size, 1);
    out.push_back(view);
  }
  return out;
}

void ReplicaSet::State::update_state(ReplicaHost& host) {
  const HostState next = classify_replica({.check_passed = host.check_passed,
                                           .breaker_allows = breaker_allows(host.pool),
                                           .lag = host.view.lag,
                                           .max_lag_seconds = options.limits.max_lag_s});
  host.view.state = next;
  const auto change = host.tracker.update(next);
  if (!change) return;
  const std::string& name = host.pool.options().name;
  std::string why = next == HostState::down ? host.problem : "";
  if (next == HostState::lagging) {
    why = "lag " + std::to_string(host.view.lag.seconds) + " s over the limit of " +
          std::to_string(options.limits.max_lag_s) + " s";
  }
  const auto level = next == HostState::up ? obs::LogLevel::info : obs::LogLevel::warn;
  obs::log(level, "database replica state changed",
           {{"host", name},
            {"from", to_string(change->from)},
            {"to", to_string(next)},
            {"reason", why},
            {"lag_s", host.view.lag.seconds},
            {"lag_bytes", host.view.lag.bytes}});
  if (options.on_state_change) options.on_state_change(name, *change, why);
}

ReplicaSet::ReplicaSet(boost::asio::any_io_executor executor, Pool& primary,
                       ReplicaSetOptions options)
    : state_(std::make_shared<State>(executor, primary, std::move(options))) {
  for (auto& pool_options : state_->options.replicas) {
    state_->hosts.push_back(
        std::make_unique<ReplicaHost>(executor, pool_options, state_->options.health_interval));
  }
}

ReplicaSet::~ReplicaSet() {
  state_->primary.set_read_router({});
  state_->stopped = true;
  for (auto& host : state_->hosts) host->timer.cancel();
}

void ReplicaSet::start() {
  state_->primary.set_read_router(
      [this](std::string_view sql, Params params, StatementTag tag, const ReadOrigin& origin) {
        return execute_read(sql, std::move(params), request_for(origin), tag);
      });
  for (auto& host : state_->hosts) {
    boost::asio::co_spawn(state_->executor, monitor_replica(state_, *host), boost::asio::detached);
  }
}

Task<void> ReplicaSet::stop() {
  state_->primary.set_read_router({});  // from now on every read runs on the primary
  state_->stopped = true;
  for (auto& host : state_->hosts) {
    host->timer.cancel();
    co_await host->pool.close(std::chrono::seconds{2});
  }
}

std::size_t ReplicaSet::size() const {
  return state_->hosts.size();
}

Route ReplicaSet::route(const StatementRequest& request) {
  const auto views = state_->views();
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(state_->rng);
  const Route chosen = route_statement(request, views, state_->options.limits, u < 1.0 ? u : 0.0);
  switch (chosen.reason) {
    case RouteReason::replica:
      ++state_->counts.replica;
      ++state_->hosts[*chosen.replica]->reads_total;
      break;
    case RouteReason::primary_fallback:
      ++state_->counts.primary_fallback;
      break;
    case RouteReason::read_your_writes:
      ++state_->counts.read_your_writes;
      break;
    case RouteReason::critical:
      ++state_->counts.critical;
      break;
    case RouteReason::write:
      break;
  }
  return chosen;
}

Pool& ReplicaSet::pool_for(const Route& route) {
  if (!route.replica) return state_->primary;
  assert(*route.replica < state_->hosts.size());
  return state_->hosts[*route.replica]->pool;
}

// `request` by value: a coroutine keeps its parameters, and the caller's is often a temporary.
Task<Result> ReplicaSet::execute_read(std::string_view sql, Params params, StatementRequest request,
                                      StatementTag tag) {
  const Route chosen = route(request);
  if (!chosen.replica) co_return co_await state_->primary.execute_here(sql, std::move(params), tag);
  auto state = state_;  // the host outlives this read even if the set is destroyed meanwhile
  ReplicaHost& host = *state->hosts[*chosen.replica];
  const auto started = CheckSchedule::Clock::now();
  bool host_failed = true;
  try {
    Result result = co_await host.pool.execute(sql, params, tag);
    host.view.load.ewma_ms = ewma_update(host.view.load.ewma_ms, since_ms(started));
    co_return result;
  } catch (const ConnectionError&) {
  } catch (const AcquireTimeout&) {
  } catch (const CircuitOpen&) {
  } catch (const QueryError& e) {
    // 25006: a statement that writes, run as a read: the replica refuses it, the primary runs it.
    host_failed = is_connection_sqlstate(e.sqlstate());
    if (!host_failed && e.sqlstate() != "25006") throw;
    if (!host_failed) obs::log_error("a read routed to a replica wrote", {{"error", e.what()}});
  }
  if (host_failed) {
    // The replica failed under us: out of the rotation until a check passes.
    host.check_passed = false;
    host.problem = "a read lost its connection";
    host.schedule.connection_failed(CheckSchedule::Clock::now());
    state->update_state(host);
  }
  co_return co_await state->primary.execute_here(sql, std::move(params), tag);
}

std::vector<ReplicaStatus> ReplicaSet::status() const {
  const auto views = state_->views();
  const auto weights = displayed_weights(views, state_->options.limits);
  std::vector<ReplicaStatus> out;
  for (std::size_t i = 0; i < views.size(); ++i) {
    const auto& host = *state_->hosts[i];
    out.push_back({.host = host.pool.options().name,
                   .state = views[i].state,
                   .lag = views[i].lag,
                   .lag_known = host.lag_known,
                   .weight = weights[i],
                   .reads_total = host.reads_total,
                   .pool = host.pool.stats()});
  }
  return out;
}

RouteCounts ReplicaSet::route_counts() const {
  return state_->counts;
}

Task<void> ReplicaSet::record_write(const std::string& key) {
  auto state = state_;
  try {
    const Result now =
        co_await state->primary.execute_here("SELECT pg_current_wal_insert_lsn()::text AS lsn");
    const auto lsn = parse_lsn(now.text(0, "lsn"));
    if (!lsn) throw std::runtime_error("unreadable WAL position");
    state->tokens.record(key, *lsn);
    if (state->publish) co_await state->publish(key, *lsn);  // never throws
  } catch (const std::exception& e) {
    state->tokens.record_unknown(key);  // no replica has it: the primary serves
    obs::log_warn("read-your-writes token not recorded", {{"error", e.what()}});
  }
}

StatementRequest ReplicaSet::request_for(const ReadOrigin& origin) const {
  StatementRequest request;
  request.tokens_complete = tokens_complete();
  request.critical = origin.critical;
  if (!origin.routing_key.empty()) request.key_token = state_->tokens.token(origin.routing_key);
  return request;
}

}  // namespace utxoiq::pg
