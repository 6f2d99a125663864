#pragma once
// GET /api/v1/monitoring/database/pool (admin; api.md, "Operations"): the figures of every
// database host's connection pool, the same ones /metrics exports as utxoiq_db_pool_*.
//
// The service has one host today, the primary; a replica would be one more entry (role
// "replica", with its replication lag).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pg/pool_stats.hpp"

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

struct DatabaseHost {
  std::string host;  // as an operator names it: "address:port" or the socket directory; no secrets
  std::string role;  // "primary" | "replica"
  std::function<bool()> healthy;                        // the health monitor's last answer
  std::function<std::optional<pg::PoolStats>()> stats;  // nullopt once the pool is gone
  std::function<std::optional<double>()> replication_lag_seconds;  // empty or nullopt: null
};

// The callbacks must stay callable while the router serves.
void add_monitoring_database_routes(http::Router& router, std::vector<DatabaseHost> hosts);

}  // namespace utxoiq::api
