// Replica weights from response time and load; see host_weights.hpp.
#include "pg/host_weights.hpp"

#include <algorithm>
#include <cassert>
#include <limits>
#include <numeric>

namespace utxoiq::pg {

namespace {

double load_share(const HostLoad& host) {
  assert(host.pool_max > 0);
  return static_cast<double>(host.in_flight) / static_cast<double>(host.pool_max);
}

}  // namespace

bool overloaded(const HostLoad& host, double fastest_peer_ms, const WeightPolicy& policy) {
  const double ewma = std::max(host.ewma_ms, policy.min_ewma_ms);
  const double fastest = std::max(fastest_peer_ms, policy.min_ewma_ms);
  return load_share(host) >= policy.overload_share || ewma > policy.slow_factor * fastest;
}

std::vector<double> host_weights(std::span<const HostLoad> hosts, const WeightPolicy& policy) {
  double fastest = std::numeric_limits<double>::infinity();
  for (const auto& host : hosts) fastest = std::min(fastest, host.ewma_ms);
  std::vector<double> weights;
  weights.reserve(hosts.size());
  for (const auto& host : hosts) {
    const double free_share = std::max(1.0 - load_share(host), policy.min_free_share);
    double weight = free_share / std::max(host.ewma_ms, policy.min_ewma_ms);
    if (overloaded(host, fastest, policy)) weight *= policy.overload_penalty;
    weights.push_back(weight);
  }
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  for (auto& weight : weights) weight /= total;
  return weights;
}

std::size_t pick_weighted(std::span<const double> weights, double u) {
  assert(!weights.empty());
  assert(u >= 0 && u < 1);
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  assert(total > 0);
  double cumulative = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    cumulative += weights[i];
    if (u * total < cumulative) return i;
  }
  // Rounding left u * total at the very end: the last host with a weight.
  for (std::size_t i = weights.size(); i-- > 0;) {
    if (weights[i] > 0) return i;
  }
  return weights.size() - 1;
}

double ewma_update(double current_ms, double sample_ms, double alpha) {
  assert(alpha > 0 && alpha <= 1);
  return current_ms + alpha * (sample_ms - current_ms);
}

}  // namespace utxoiq::pg
