#pragma once
// How reads are spread over the usable replicas (seed 003, "Load Balancer"): each replica's
// weight is inversely proportional to its recent response time (EWMA) and scaled by its free
// share of its pool (1 - in-flight / pool max), and a replica over 80% load -- in-flight at 80% of
// its pool maximum or more, or a response time over `slow_factor` times the fastest peer's -- has
// its weight cut by `overload_penalty`. The host is then drawn at random in proportion to the
// weights (a weighted round robin without the shared cursor), which a test drives with a given u.
// Pure: the figures come from the pools.
#include <chrono>
#include <cstddef>
#include <span>
#include <vector>

namespace utxoiq::pg {

struct HostLoad {
  double ewma_ms = 1.0;       // recent response time of the host's statements
  std::size_t in_flight = 0;  // leased connections
  std::size_t pool_max = 1;   // the pool's maximum (> 0)
};

struct WeightPolicy {
  double overload_share = 0.8;    // in_flight / pool_max from which a host is overloaded
  double slow_factor = 4.0;       // ewma over this times the fastest peer's: overloaded
  double overload_penalty = 0.2;  // weight multiplier of an overloaded host, in (0, 1)
  double min_ewma_ms = 0.05;      // floor, so a host never seen slow does not get all traffic
  double min_free_share = 0.05;   // floor of 1 - load, so a full host keeps a trickle
};

bool overloaded(const HostLoad& host, double fastest_peer_ms, const WeightPolicy& policy = {});

// One weight per host (all > 0), normalized to sum 1; empty for no host.
std::vector<double> host_weights(std::span<const HostLoad> hosts, const WeightPolicy& policy = {});

// The index drawn for u in [0, 1): the first host whose cumulative weight exceeds u * total.
// Requires a non-empty span of non-negative weights with a positive sum.
std::size_t pick_weighted(std::span<const double> weights, double u);

// Exponentially weighted moving average of response times: alpha of each new sample.
double ewma_update(double current_ms, double sample_ms, double alpha = 0.2);

}  // namespace utxoiq::pg
