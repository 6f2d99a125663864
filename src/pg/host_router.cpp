// Statement routing over the primary and its replicas; see host_router.hpp.
#include "pg/host_router.hpp"

#include <cassert>
#include <vector>

namespace utxoiq::pg {

std::string_view to_string(RouteReason reason) {
  switch (reason) {
    case RouteReason::write:
      return "write";
    case RouteReason::critical:
      return "critical";
    case RouteReason::replica:
      return "replica";
    case RouteReason::primary_fallback:
      return "primary_fallback";
    case RouteReason::read_your_writes:
      return "read_your_writes";
  }
  return "write";
}

namespace {

bool within_lag(const ReplicaView& view, const StatementRequest& request,
                const RouterLimits& limits) {
  if (view.state != HostState::up || !(view.lag.seconds <= limits.max_lag_s)) return false;
  if (request.tokens_complete) return true;
  return view.lag.seconds + view.sample_age_s < limits.blind_max_staleness_s;
}

bool has_token(const ReplicaView& view, const StatementRequest& request) {
  return !request.key_token || view.replay_lsn >= *request.key_token;
}

}  // namespace

bool replica_serves(const ReplicaView& view, const StatementRequest& request,
                    const RouterLimits& limits) {
  return within_lag(view, request, limits) && has_token(view, request);
}

Route route_statement(const StatementRequest& request, std::span<const ReplicaView> replicas,
                      const RouterLimits& limits, double u) {
  if (request.write) return {std::nullopt, RouteReason::write};
  if (request.critical) return {std::nullopt, RouteReason::critical};
  std::vector<std::size_t> usable;
  std::vector<HostLoad> loads;
  bool held_back_by_token = false;
  for (std::size_t i = 0; i < replicas.size(); ++i) {
    if (!within_lag(replicas[i], request, limits)) continue;
    if (!has_token(replicas[i], request)) {
      held_back_by_token = true;
      continue;
    }
    usable.push_back(i);
    loads.push_back(replicas[i].load);
  }
  if (usable.empty()) {
    return {std::nullopt,
            held_back_by_token ? RouteReason::read_your_writes : RouteReason::primary_fallback};
  }
  const auto weights = host_weights(loads, limits.weights);
  const std::size_t chosen = usable[pick_weighted(weights, u)];
  assert(replica_serves(replicas[chosen], request, limits));
  return {chosen, RouteReason::replica};
}

std::vector<double> displayed_weights(std::span<const ReplicaView> replicas,
                                      const RouterLimits& limits) {
  std::vector<double> shown(replicas.size(), 0.0);
  std::vector<std::size_t> usable;
  std::vector<HostLoad> loads;
  const StatementRequest anonymous_read{};
  for (std::size_t i = 0; i < replicas.size(); ++i) {
    if (!replica_serves(replicas[i], anonymous_read, limits)) continue;
    usable.push_back(i);
    loads.push_back(replicas[i].load);
  }
  const auto weights = host_weights(loads, limits.weights);
  for (std::size_t k = 0; k < usable.size(); ++k) shown[usable[k]] = weights[k];
  return shown;
}

}  // namespace utxoiq::pg
