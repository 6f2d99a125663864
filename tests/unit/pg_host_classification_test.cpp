// The rules that exclude a configured replica: a primary given as a replica, a server of another
// cluster (different system identifier) and an unreachable host are excluded, each with a reason
// a log line can show; a replica of this primary is kept.
#include "pg/host_classification.hpp"

#include <gtest/gtest.h>

namespace utxoiq::pg {
namespace {

constexpr std::uint64_t kCluster = 7300000000000000001ULL;

HostFacts facts(bool in_recovery, std::uint64_t identifier = kCluster) {
  HostFacts result;
  result.in_recovery = in_recovery;
  result.system_identifier = identifier;
  result.timeline = 1;
  return result;
}

TEST(HostClassification, ReplicaOfThisClusterServesReads) {
  const auto host = classify_host(facts(true), kCluster);
  EXPECT_EQ(host.role, HostRole::kReplica);
  EXPECT_EQ(to_string(host.role), "replica");
  EXPECT_EQ(replica_exclusion(host), std::nullopt);
}

TEST(HostClassification, PrimaryGivenAsReplicaIsExcludedWithItsReason) {
  const auto host = classify_host(facts(false), kCluster);
  EXPECT_EQ(host.role, HostRole::kPrimary);
  const auto reason = replica_exclusion(host);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("configured as a replica but is a primary"), std::string::npos) << *reason;
}

TEST(HostClassification, OtherClusterIsExcludedWhetherPrimaryOrReplica) {
  for (const bool in_recovery : {true, false}) {
    const auto host = classify_host(facts(in_recovery, kCluster + 1), kCluster);
    EXPECT_EQ(host.role, HostRole::kOtherCluster);
    const auto reason = replica_exclusion(host);
    ASSERT_TRUE(reason.has_value());
    EXPECT_NE(reason->find(std::to_string(kCluster + 1)), std::string::npos) << *reason;
    EXPECT_NE(reason->find(std::to_string(kCluster)), std::string::npos) << *reason;
  }
}

TEST(HostClassification, UnreachableHostCarriesTheConnectionError) {
  HostFacts down;
  down.error = "connection refused";
  const auto host = classify_host(down, kCluster);
  EXPECT_EQ(host.role, HostRole::kUnreachable);
  EXPECT_EQ(replica_exclusion(host), "unreachable: connection refused");
}

TEST(HostClassification, WithoutAKnownClusterOnlyTheRecoveryStateDecides) {
  EXPECT_EQ(classify_host(facts(true, 42), std::nullopt).role, HostRole::kReplica);
  EXPECT_EQ(classify_host(facts(false, 42), std::nullopt).role, HostRole::kPrimary);
}

}  // namespace
}  // namespace utxoiq::pg
