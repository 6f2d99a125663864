// The failed-authentication collector (see failed_auth_metrics.hpp).
#include "app/failed_auth_metrics.hpp"

#include "cache/distributed_failed_auth_limiter.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::app {

void add_failed_auth_metrics(obs::Registry& registry, std::weak_ptr<const void> owner,
                             cache::DistributedFailedAuthLimiter& limiter) {
  registry.add_collector([owner = std::move(owner), &limiter](obs::Exposition& out) {
    if (!owner.lock()) return;
    const cache::DistributedFailedAuthLimiterCounters counts = limiter.counters();
    out.counter("utxoiq_auth_failures_total",
                "Requests refused 401 for a missing, unknown or revoked API key",
                static_cast<double>(counts.unauthorized));
    out.counter("utxoiq_auth_blocked_total",
                "Requests refused 429 because their address failed authentication too often",
                static_cast<double>(counts.blocked));
    out.gauge("utxoiq_auth_blocked_addresses",
              "Client addresses this process refuses now for failed authentications",
              static_cast<double>(limiter.blocked_addresses()));
  });
}

}  // namespace utxoiq::app
