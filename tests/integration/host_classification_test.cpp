// Host classification on real servers (tests/support/replica_cluster): the primary, its replica,
// a replica of another cluster (its own system identifier) and a port nobody listens on are each
// told apart, through the same connection code the service uses.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "app/free_port.hpp"
#include "pg/host_probe.hpp"
#include "support/replica_cluster.hpp"
#include "support/run_task.hpp"

namespace utxoiq::testing {
namespace {

using pg::HostRole;

class HostClassificationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ours_ = new ReplicaCluster(1);
    theirs_ = new ReplicaCluster(1);
  }
  static void TearDownTestSuite() {
    delete ours_;
    delete theirs_;
  }
  pg::HostClassification classify(const std::string& url) {
    const auto facts = run_task(io_, pg::probe_host(io_.get_executor(), url));
    return pg::classify_host(facts, ours_->system_identifier());
  }

  static ReplicaCluster* ours_;
  static ReplicaCluster* theirs_;
  boost::asio::io_context io_;
};

ReplicaCluster* HostClassificationTest::ours_ = nullptr;
ReplicaCluster* HostClassificationTest::theirs_ = nullptr;

TEST_F(HostClassificationTest, ReplicaOfOurPrimaryIsAReplica) {
  const auto host = classify(ours_->replica_url(0));
  EXPECT_EQ(host.role, HostRole::kReplica) << host.reason;
  EXPECT_EQ(pg::replica_exclusion(host), std::nullopt);
}

TEST_F(HostClassificationTest, PrimaryGivenAsReplicaIsExcluded) {
  const auto host = classify(ours_->primary_url());
  EXPECT_EQ(host.role, HostRole::kPrimary) << host.reason;
  const auto reason = pg::replica_exclusion(host);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("is a primary"), std::string::npos) << *reason;
}

TEST_F(HostClassificationTest, ReplicaOfAnotherClusterIsExcluded) {
  ASSERT_NE(theirs_->system_identifier(), ours_->system_identifier());
  const auto host = classify(theirs_->replica_url(0));
  EXPECT_EQ(host.role, HostRole::kOtherCluster) << host.reason;
  const auto reason = pg::replica_exclusion(host);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find(std::to_string(theirs_->system_identifier())), std::string::npos)
      << *reason;
}

TEST_F(HostClassificationTest, UnreachableHostIsExcludedWithTheConnectError) {
  const std::string url =
      "postgresql://postgres@127.0.0.1:" + std::to_string(app::pick_free_loopback_port()) +
      "/utxoiq";
  const auto host = classify(url);
  EXPECT_EQ(host.role, HostRole::kUnreachable) << host.reason;
  EXPECT_TRUE(host.reason.starts_with("unreachable: ")) << host.reason;
  EXPECT_GT(host.reason.size(), std::string("unreachable: ").size());
}

TEST_F(HostClassificationTest, PromotionRaisesTheTimeline) {
  const auto before = run_task(io_, pg::probe_host(io_.get_executor(), theirs_->replica_url(0)));
  theirs_->promote(0);
  const auto after = run_task(io_, pg::probe_host(io_.get_executor(), theirs_->replica_url(0)));
  EXPECT_FALSE(after.in_recovery);
  EXPECT_GT(after.timeline, before.timeline);
}

}  // namespace
}  // namespace utxoiq::testing
