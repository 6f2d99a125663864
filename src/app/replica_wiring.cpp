// Replica set construction and its figures; see replica_wiring.hpp.
#include "app/replica_wiring.hpp"

#include <cmath>

#include "obs/metrics.hpp"
#include "pg/host_resolution.hpp"
#include "resilience/circuit_breaker.hpp"

namespace utxoiq::app {

namespace {

std::optional<double> finite_lag(const pg::ReplicaStatus& status) {
  if (!status.lag_known || !std::isfinite(status.lag.seconds)) return std::nullopt;
  return status.lag.seconds;
}

std::string host_label_of(const std::string& url) {
  try {
    return pg::host_label(pg::build_connect_params(url, {}));
  } catch (const std::exception&) {
    return "replica";  // an unparsable URL: the monitor reports why it is down
  }
}

}  // namespace

std::shared_ptr<pg::ReplicaSet> make_replica_set(boost::asio::any_io_executor executor,
                                                 pg::Pool& primary, const pg::PoolOptions& base,
                                                 const ReplicaSettings& settings,
                                                 std::function<void(Alert)> alert) {
  if (settings.urls.empty()) return nullptr;
  pg::ReplicaSetOptions options;
  options.limits.max_lag_s = settings.max_lag_s;
  options.health_interval =
      std::chrono::milliseconds(static_cast<long long>(settings.health_interval_s * 1000));
  for (const auto& url : settings.urls) {
    pg::PoolOptions pool = base;
    pool.conninfo = url;
    pool.name = host_label_of(url);
    pool.breaker = std::make_shared<resilience::CircuitBreaker>();
    options.replicas.push_back(std::move(pool));
  }
  options.on_state_change = [alert = std::move(alert)](const std::string& host,
                                                       pg::HostTransition change,
                                                       const std::string& why) {
    if (!alert) return;
    const bool lagging = change.to == pg::HostState::lagging;
    alert(Alert{.name = lagging ? "UtxoiqReplicaLagging" : "UtxoiqReplicaStateChanged",
                .severity = change.to == pg::HostState::up ? "info" : "warning",
                .summary = "database replica " + host + " is " +
                           std::string(pg::to_string(change.to)) + (why.empty() ? "" : ": " + why),
                .labels = {{"host", host},
                           {"from", std::string(pg::to_string(change.from))},
                           {"to", std::string(pg::to_string(change.to))}}});
  };
  return std::make_shared<pg::ReplicaSet>(executor, primary, std::move(options));
}

std::shared_ptr<pg::PrimaryFollower> make_primary_follower(
    boost::asio::any_io_executor executor, pg::Pool& primary, const std::string& primary_url,
    const ReplicaSettings& settings, std::function<void(Alert)> alert,
    std::function<void(const std::string& url)> on_follow) {
  if (settings.urls.empty()) return nullptr;
  pg::PrimaryFollowerOptions options;
  options.check_interval =
      std::chrono::milliseconds(static_cast<long long>(settings.health_interval_s * 1000));
  options.hosts.push_back(primary_url);
  options.names.push_back(host_label_of(primary_url));
  for (const auto& url : settings.urls) {
    options.hosts.push_back(url);
    options.names.push_back(host_label_of(url));
  }
  options.on_follow = [alert = std::move(alert),
                       on_follow = std::move(on_follow)](const pg::FollowEvent& event) {
    if (on_follow) on_follow(event.to_conninfo);
    if (!alert) return;
    alert(Alert{.name = "UtxoiqPrimaryFollowed",
                .severity = "warning",
                .summary = "the service now writes to " + event.to + " (was " + event.from +
                           "): " + event.why,
                .labels = {{"from", event.from}, {"to", event.to}}});
  };
  return std::make_shared<pg::PrimaryFollower>(executor, primary, std::move(options));
}

void add_failover_metrics(obs::Registry& registry, std::weak_ptr<pg::PrimaryFollower> follower) {
  registry.add_collector([follower](obs::Exposition& out) {
    const auto live = follower.lock();
    if (!live) return;
    out.counter("utxoiq_db_failovers_total", "Times the service followed a new primary",
                static_cast<double>(live->failovers()));
    out.gauge("utxoiq_db_primary_info", "The host written to (value 1)", 1,
              {{"host", live->current_host()}});
  });
}

std::vector<api::ReplicaReadiness> replica_readiness(const pg::ReplicaSet* replicas) {
  std::vector<api::ReplicaReadiness> out;
  if (!replicas) return out;
  for (const auto& status : replicas->status()) {
    out.push_back({status.host, std::string(pg::to_string(status.state)), finite_lag(status)});
  }
  return out;
}

std::vector<api::DatabaseHost> replica_hosts(const std::shared_ptr<pg::ReplicaSet>& replicas) {
  std::vector<api::DatabaseHost> out;
  if (!replicas) return out;
  const std::weak_ptr<pg::ReplicaSet> weak = replicas;
  const auto one = [weak](std::size_t i) -> std::optional<pg::ReplicaStatus> {
    const auto set = weak.lock();
    if (!set) return std::nullopt;
    return set->status().at(i);
  };
  const auto statuses = replicas->status();
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    out.push_back({.host = statuses[i].host,
                   .role = "replica",
                   .healthy = [one, i] { return one(i) && one(i)->state == pg::HostState::up; },
                   .stats = [one, i]() -> std::optional<pg::PoolStats> {
                     if (const auto s = one(i)) return s->pool;
                     return std::nullopt;
                   },
                   .replication =
                       [one, i] {
                         const auto s = one(i);
                         if (!s) return api::ReplicationFigures{};
                         return api::ReplicationFigures{finite_lag(*s), s->lag.bytes, s->weight,
                                                        s->reads_total};
                       }});
  }
  return out;
}

void add_replica_metrics(obs::Registry& registry, std::weak_ptr<pg::ReplicaSet> replicas) {
  registry.add_collector([replicas](obs::Exposition& out) {
    const auto set = replicas.lock();
    if (!set) return;
    for (const auto& s : set->status()) {
      const obs::Exposition::LabelPairs host{{"host", s.host}};
      // Unknown lag is exported as a large value, so the lag alert fires for it too.
      out.gauge("utxoiq_db_replica_lag_seconds", "Replica lag upper bound, seconds",
                finite_lag(s).value_or(1e9), host);
      out.gauge("utxoiq_db_replica_lag_bytes", "WAL bytes the replica has not replayed",
                static_cast<double>(s.lag.bytes), host);
      out.gauge("utxoiq_db_replica_up", "1 while the replica serves reads (up)",
                s.state == pg::HostState::up ? 1 : 0, host);
      out.counter("utxoiq_db_reads_total", "Reads routed, by host and reason",
                  static_cast<double>(s.reads_total), {{"host", s.host}, {"reason", "replica"}});
    }
    const auto counts = set->route_counts();
    const auto primary = [&](const char* reason, std::uint64_t value) {
      out.counter("utxoiq_db_reads_total", "Reads routed, by host and reason",
                  static_cast<double>(value), {{"host", "primary"}, {"reason", reason}});
    };
    primary("primary_fallback", counts.primary_fallback);
    primary("read_your_writes", counts.read_your_writes);
    primary("critical", counts.critical);
  });
}

}  // namespace utxoiq::app
