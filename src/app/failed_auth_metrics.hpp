#pragma once
// The failed-authentication limiter on /metrics (cache/distributed_failed_auth_limiter.hpp), read
// at scrape time from the limiter itself:
//   utxoiq_auth_failures_total        requests refused 401: no key, or an unknown or revoked one
//   utxoiq_auth_blocked_total         requests refused 429: their address failed too often
//   utxoiq_auth_blocked_addresses     addresses this process refuses now
// No label: never the client address (unbounded cardinality) and never a key. Per process: under
// `serve --workers N` each worker reports its own, labelled worker="i" in the merged scrape; the
// counters add up over workers, the gauge does not (a blocked address is usually known to several
// workers, so the max over workers is a lower bound of the addresses blocked, the sum an upper
// one).
#include <memory>

namespace utxoiq::obs {
class Registry;
}
namespace utxoiq::cache {
class DistributedFailedAuthLimiter;
}

namespace utxoiq::app {

// `limiter` is read only while `owner` is alive: the registry outlives the service that owns it.
void add_failed_auth_metrics(obs::Registry& registry, std::weak_ptr<const void> owner,
                             cache::DistributedFailedAuthLimiter& limiter);

}  // namespace utxoiq::app
