// Seed 003 routing properties over the router's pure decision code (pg/host_router):
//  - Property 9, write routing: every write goes to the primary, whatever the replicas;
//  - Property 10, read routing: a read by a key with no token goes to a replica whenever one is
//    usable, to the primary only when none is, and the replica chosen is always usable;
//  - Property 11, critical priority: a critical read always goes to the primary;
//  - read-your-writes: a read never lands on a replica that has not replayed the key's token;
//  - Redis down: a read lands only on a replica at most 1 s stale (lag + age of the poll);
//  - Property 22, lag bounds: no read lands on a replica over the lag limit or not up.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "pg/host_router.hpp"
#include "support/replica_generators.hpp"

namespace utxoiq::pg {
namespace {

using testing::gen_read;
using testing::gen_replicas;
using testing::gen_u;

const RouterLimits kLimits{};

bool any_usable(const std::vector<ReplicaView>& replicas, const StatementRequest& read) {
  for (const auto& view : replicas) {
    if (replica_serves(view, read, kLimits)) return true;
  }
  return false;
}

RC_GTEST_PROP(ReplicaRouting, WritesGoToThePrimary, ()) {
  const auto replicas = *gen_replicas();
  auto request = *gen_read();
  request.write = true;
  request.critical = *rc::gen::arbitrary<bool>();
  const auto route = route_statement(request, replicas, kLimits, *gen_u());
  RC_ASSERT(!route.replica.has_value());
  RC_ASSERT(route.reason == RouteReason::write);
}

RC_GTEST_PROP(ReplicaRouting, ReadsWithoutTokenGoToAUsableReplica, ()) {
  const auto replicas = *gen_replicas();
  auto read = *gen_read();
  read.key_token.reset();
  const auto route = route_statement(read, replicas, kLimits, *gen_u());
  if (any_usable(replicas, read)) {
    RC_ASSERT(route.replica.has_value());
    RC_ASSERT(route.reason == RouteReason::replica);
    RC_ASSERT(replica_serves(replicas[*route.replica], read, kLimits));
  } else {
    RC_ASSERT(!route.replica.has_value());
    RC_ASSERT(route.reason == RouteReason::primary_fallback);
  }
}

RC_GTEST_PROP(ReplicaRouting, CriticalReadsGoToThePrimary, ()) {
  const auto replicas = *gen_replicas();
  auto read = *gen_read();
  read.critical = true;
  const auto route = route_statement(read, replicas, kLimits, *gen_u());
  RC_ASSERT(!route.replica.has_value());
  RC_ASSERT(route.reason == RouteReason::critical);
}

RC_GTEST_PROP(ReplicaRouting, ReadYourWritesNeverLandsBeforeTheToken, ()) {
  const auto replicas = *gen_replicas();
  auto read = *gen_read();
  read.key_token = Lsn{*rc::gen::inRange<std::uint64_t>(0, 1000)};
  const auto route = route_statement(read, replicas, kLimits, *gen_u());
  if (route.replica) {
    RC_ASSERT(replicas[*route.replica].replay_lsn >= *read.key_token);
  } else {
    // To the primary only when no replica both is within the limits and has the token.
    RC_ASSERT(!any_usable(replicas, read));
    auto anonymous = read;
    anonymous.key_token.reset();
    const auto expected = any_usable(replicas, anonymous) ? RouteReason::read_your_writes
                                                          : RouteReason::primary_fallback;
    RC_ASSERT(route.reason == expected);
  }
}

RC_GTEST_PROP(ReplicaRouting, WithoutRedisOnlyReplicasUnderOneSecondServe, ()) {
  const auto replicas = *gen_replicas();
  auto read = *gen_read();
  read.tokens_complete = false;
  const auto route = route_statement(read, replicas, kLimits, *gen_u());
  if (route.replica) {
    const auto& view = replicas[*route.replica];
    RC_ASSERT(view.lag.seconds + view.sample_age_s < 1.0);
  }
}

RC_GTEST_PROP(ReplicaRouting, LagBoundsHoldForEveryRead, ()) {
  const auto replicas = *gen_replicas();
  const auto read = *gen_read();
  const auto route = route_statement(read, replicas, kLimits, *gen_u());
  if (route.replica) {
    const auto& view = replicas[*route.replica];
    RC_ASSERT(view.state == HostState::up);
    RC_ASSERT(view.lag.seconds <= kLimits.max_lag_s);
  }
}

TEST(ReplicaRouting, AllReplicasUnhealthyFallsBackToThePrimary) {
  std::vector<ReplicaView> replicas(3);
  replicas[0].state = HostState::down;
  replicas[1].state = HostState::lagging;
  replicas[2].state = HostState::up;
  replicas[2].lag.seconds = 9;
  const auto route = route_statement({}, replicas, kLimits, 0.5);
  EXPECT_FALSE(route.replica.has_value());
  EXPECT_EQ(route.reason, RouteReason::primary_fallback);
}

}  // namespace
}  // namespace utxoiq::pg
