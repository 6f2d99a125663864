// Seed 003 load-balancing properties over pg/host_weights:
//  - Property 35, load distribution: over an even sweep of the random draw, each replica gets
//    reads in proportion to its weight (within one draw), and replicas alike get equal shares;
//  - Property 36, traffic reduction under load: a replica at 80% of its pool or more, or far
//    slower than its peers, gets a smaller share of the reads than the same replica below that
//    load (its peers take the rest);
//  - Property 37, response-time preference: of two replicas with the same load, the faster one
//    never gets the smaller weight.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <vector>

#include "pg/host_weights.hpp"
#include "support/replica_generators.hpp"

namespace utxoiq::pg {
namespace {

std::vector<HostLoad> gen_loads(std::size_t at_least = 1) {
  return *rc::gen::container<std::vector<HostLoad>>(*rc::gen::inRange<std::size_t>(at_least, 6),
                                                    testing::gen_load());
}

RC_GTEST_PROP(ReplicaBalance, ReadsFollowTheWeights, ()) {
  const auto loads = gen_loads();
  const auto weights = host_weights(loads);
  double total = 0;
  for (double w : weights) {
    RC_ASSERT(w > 0);
    total += w;
  }
  RC_ASSERT(std::abs(total - 1.0) < 1e-9);
  const int draws = 10'000;
  std::vector<int> counts(loads.size(), 0);
  for (int i = 0; i < draws; ++i) ++counts[pick_weighted(weights, (i + 0.5) / draws)];
  for (std::size_t i = 0; i < loads.size(); ++i) {
    RC_ASSERT(std::abs(counts[i] - weights[i] * draws) <= 1.0 + 1e-6 * draws);
  }
}

RC_GTEST_PROP(ReplicaBalance, AlikeReplicasShareEvenly, ()) {
  const auto count = *rc::gen::inRange<std::size_t>(2, 6);
  const std::vector<HostLoad> loads(count, *testing::gen_load());
  const auto weights = host_weights(loads);
  for (double w : weights) RC_ASSERT(std::abs(w - 1.0 / static_cast<double>(count)) < 1e-9);
}

RC_GTEST_PROP(ReplicaBalance, LoadOver80PercentReducesTraffic, ()) {
  // Shares are relative: a lone replica takes every read it can serve, busy or not.
  auto loads = gen_loads(2);
  const auto busy = *rc::gen::inRange<std::size_t>(0, loads.size());
  auto calm = loads;
  calm[busy].in_flight = calm[busy].pool_max * 7 / 10;  // under 80%
  loads[busy] = calm[busy];
  loads[busy].in_flight = loads[busy].pool_max;  // 100%: overloaded
  const auto fastest = [](const std::vector<HostLoad>& hosts) {
    double best = hosts.front().ewma_ms;
    for (const auto& h : hosts) best = std::min(best, h.ewma_ms);
    return best;
  };
  RC_ASSERT(overloaded(loads[busy], fastest(loads)));
  RC_ASSERT(host_weights(loads)[busy] < host_weights(calm)[busy]);
  // Slowness far above the peers counts as overload too.
  auto slow = calm;
  slow[busy].ewma_ms = 1e9;
  slow[busy].ewma_ms = fastest(slow) * 5 + 1;  // 5 times the fastest peer
  RC_ASSERT(overloaded(slow[busy], fastest(slow)));
}

RC_GTEST_PROP(ReplicaBalance, FasterReplicaIsPreferred, ()) {
  auto loads = gen_loads();
  loads.push_back(*testing::gen_load());
  auto& a = loads[0];
  auto& b = loads.back();
  b.in_flight = a.in_flight;
  b.pool_max = a.pool_max;
  b.ewma_ms = a.ewma_ms + *rc::gen::inRange(1, 1000) / 10.0;  // b is slower
  const auto weights = host_weights(loads);
  RC_ASSERT(weights.front() > weights.back());
}

TEST(ReplicaBalance, EwmaMovesTowardTheSample) {
  EXPECT_DOUBLE_EQ(ewma_update(10.0, 20.0), 12.0);
  EXPECT_DOUBLE_EQ(ewma_update(10.0, 10.0), 10.0);
}

}  // namespace
}  // namespace utxoiq::pg
