#pragma once
// The read replicas in the running service (issue 12): the ReplicaSet built from
// --replica-url/--replica-max-lag/--health-interval (each replica's pool sized like the primary's,
// with a circuit breaker of its own), and what /readyz, /monitoring/database/pool and /metrics
// show of it. Kept out of service.cpp so the wiring there stays a few lines.
#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "api/health_routes.hpp"
#include "api/monitoring_database_routes.hpp"
#include "app/alert_webhook.hpp"
#include "app/config.hpp"
#include "pg/pool.hpp"
#include "pg/primary_follower.hpp"
#include "pg/replica_set.hpp"

namespace utxoiq::obs {
class Registry;
}

namespace utxoiq::app {

// `base` is the primary's pool options (sizes, timeouts, observer); `alert` receives each host
// state change (the --alert-webhook). Null when no replica is configured.
std::shared_ptr<pg::ReplicaSet> make_replica_set(boost::asio::any_io_executor executor,
                                                 pg::Pool& primary, const pg::PoolOptions& base,
                                                 const ReplicaSettings& settings,
                                                 std::function<void(Alert)> alert);

// Failover: follows the primary among the configured hosts (`primary_url`, then each replica
// URL), probing them every --health-interval (pg/primary_follower.hpp); each follow goes to
// `alert` and to `on_follow` (the new primary's URL). Null when no replica is configured: there
// is nothing to fail over to.
std::shared_ptr<pg::PrimaryFollower> make_primary_follower(
    boost::asio::any_io_executor executor, pg::Pool& primary, const std::string& primary_url,
    const ReplicaSettings& settings, std::function<void(Alert)> alert,
    std::function<void(const std::string& url)> on_follow);

// utxoiq_db_failovers_total, utxoiq_db_primary_info{host}.
void add_failover_metrics(obs::Registry& registry, std::weak_ptr<pg::PrimaryFollower> follower);

// For /readyz: each replica's host, state and lag; empty for a null set.
std::vector<api::ReplicaReadiness> replica_readiness(const pg::ReplicaSet* replicas);

// For /monitoring/database/pool: one entry per replica, reading the set through a weak handle.
std::vector<api::DatabaseHost> replica_hosts(const std::shared_ptr<pg::ReplicaSet>& replicas);

// utxoiq_db_replica_lag_seconds / _bytes / _up{host}, utxoiq_db_reads_total{host, reason}.
void add_replica_metrics(obs::Registry& registry, std::weak_ptr<pg::ReplicaSet> replicas);

}  // namespace utxoiq::app
