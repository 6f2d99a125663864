#pragma once
// GET /api/v1/monitoring/database/pool (admin; api.md, "Operations"): the figures of every
// database host's connection pool, the same ones /metrics exports as utxoiq_db_pool_*.
//
// `replication_lag_s` is null for the primary; a replica is one more entry (role "replica").
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/api_docs.hpp"
#include "pg/pool_stats.hpp"

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

// What a replica adds to its pool figures (api.md): its lag and its share of the reads.
struct ReplicationFigures {
  std::optional<double> lag_s;  // null until measured, or when unknown
  std::uint64_t lag_bytes = 0;
  double weight = 0;
  std::uint64_t reads_total = 0;
};

struct DatabaseHost {
  std::string host;  // as an operator names it: "address:port" or the socket directory; no secrets
  std::string role;  // "primary" | "replica"
  std::function<bool()> healthy;                        // the health monitor's last answer
  std::function<std::optional<pg::PoolStats>()> stats;  // nullopt once the pool is gone
  // Replicas only; empty for the primary, whose lag, bytes and weight are null and reads_total 0.
  std::function<ReplicationFigures()> replication;
};

struct MonitoringDatabaseRoutesDeps {
  // Both callbacks of each host must be set and stay callable while the router serves.
  std::vector<DatabaseHost> hosts;
};

void add_monitoring_database_routes(http::Router& router, MonitoringDatabaseRoutesDeps deps,
                                    ApiDocs& docs);

}  // namespace utxoiq::api
