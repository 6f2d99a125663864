#pragma once
// GET /healthz, /readyz and /metrics (api.md, "Health"): open routes, no API key.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/api_docs.hpp"
#include "util/task.hpp"

namespace utxoiq::http {
class Router;
}
namespace utxoiq::obs {
class Registry;
}

namespace utxoiq::api {

// One read replica as /readyz shows it. A replica never makes the service unready.
struct ReplicaReadiness {
  std::string host;
  std::string state;            // "up", "down" or "lagging"
  std::optional<double> lag_s;  // null until its lag was measured (or when unknown)
};

// What /readyz reports; each function reads state kept up to date elsewhere (no I/O here).
struct ReadinessProbe {
  std::function<bool()> primary_up;
  std::function<std::vector<ReplicaReadiness>()> replicas;  // may be empty: no replica
  std::function<std::string()> cache_state;                 // "up", "down" or "disabled"
};

struct HealthRoutesDeps {
  ReadinessProbe probe;
  obs::Registry& registry;  // exposed by /metrics; must outlive the router
  // What /metrics answers instead of registry.expose() when set: every worker's figures under
  // `serve --workers N` (app/worker_metrics_exchange.hpp).
  std::function<Task<std::string>()> exposition;
};

void add_health_routes(http::Router& router, HealthRoutesDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
