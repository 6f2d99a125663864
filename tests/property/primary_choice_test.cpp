// Failover (issue 12, seed 003 "write routing"): which configured host the service writes to,
// over pg/primary_choice, for random sets of hosts (up or not, in recovery or not, of this cluster
// or another, on random timelines):
//  - writes only ever go to a host that answered, accepts writes and is of this cluster;
//  - never to a timeline older than the one written to before (a stale primary back after a
//    promotion is not written to);
//  - the current primary keeps the writes while it is a candidate on the newest timeline (a
//    restart is not a failover);
//  - a single candidate on the newest timeline is followed; two or more, none current, are not.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <vector>

#include "pg/primary_choice.hpp"

namespace utxoiq::pg {
namespace {

constexpr std::uint64_t kCluster = 7'000'000'000'000'000'001ULL;

rc::Gen<HostFacts> gen_host() {
  return rc::gen::exec([] {
    HostFacts facts;
    if (*rc::gen::weightedElement<bool>({{1, true}, {3, false}})) {
      facts.error = "connection refused";
      return facts;
    }
    facts.in_recovery = *rc::gen::arbitrary<bool>();
    facts.system_identifier =
        *rc::gen::weightedElement<std::uint64_t>({{9, kCluster}, {1, kCluster + 1}});
    facts.timeline = *rc::gen::inRange<std::uint32_t>(1, 5);
    return facts;
  });
}

bool writable_here(const HostFacts& facts, std::uint32_t followed) {
  return !facts.error && !facts.in_recovery && facts.system_identifier == kCluster &&
         facts.timeline >= followed;
}

struct Case {
  std::vector<HostFacts> hosts;
  std::size_t current = 0;
  std::uint32_t followed = 1;
};

rc::Gen<Case> gen_case() {
  return rc::gen::exec([] {
    Case c;
    c.hosts = *rc::gen::container<std::vector<HostFacts>>(*rc::gen::inRange<std::size_t>(1, 5),
                                                          gen_host());
    c.current = *rc::gen::inRange<std::size_t>(0, c.hosts.size());
    c.followed = *rc::gen::inRange<std::uint32_t>(1, 5);
    return c;
  });
}

std::uint32_t newest_writable(const Case& c) {
  std::uint32_t newest = 0;
  for (const auto& h : c.hosts) {
    if (writable_here(h, c.followed)) newest = std::max(newest, h.timeline);
  }
  return newest;
}

RC_GTEST_PROP(PrimaryChoice, WritesGoOnlyToAWritableHostOfThisClusterNotOlderThanBefore, ()) {
  const Case c = *gen_case();
  const auto choice = choose_primary(c.hosts, c.current, c.followed, kCluster);
  if (!choice.follow) return;
  RC_ASSERT(*choice.follow < c.hosts.size());
  const HostFacts& chosen = c.hosts[*choice.follow];
  RC_ASSERT(writable_here(chosen, c.followed));
  RC_ASSERT(chosen.timeline == newest_writable(c));  // never an older history than another's
}

RC_GTEST_PROP(PrimaryChoice, TheCurrentPrimaryKeepsTheWritesWhileItIsOnTheNewestTimeline, ()) {
  const Case c = *gen_case();
  const HostFacts& current = c.hosts[c.current];
  RC_PRE(writable_here(current, c.followed) && current.timeline == newest_writable(c));
  const auto choice = choose_primary(c.hosts, c.current, c.followed, kCluster);
  RC_ASSERT(choice.follow == std::optional<std::size_t>(c.current));
}

RC_GTEST_PROP(PrimaryChoice, OneCandidateOnTheNewestTimelineIsFollowedSeveralAreNot, ()) {
  const Case c = *gen_case();
  const std::uint32_t newest = newest_writable(c);
  std::vector<std::size_t> on_newest;
  for (std::size_t i = 0; i < c.hosts.size(); ++i) {
    if (writable_here(c.hosts[i], c.followed) && c.hosts[i].timeline == newest) {
      on_newest.push_back(i);
    }
  }
  const bool current_on_newest =
      std::find(on_newest.begin(), on_newest.end(), c.current) != on_newest.end();
  RC_PRE(!current_on_newest);
  const auto choice = choose_primary(c.hosts, c.current, c.followed, kCluster);
  if (on_newest.size() == 1) {
    RC_ASSERT(choice.follow == std::optional<std::size_t>(on_newest.front()));
  } else {
    RC_ASSERT(!choice.follow);  // nothing to write to, or a split brain it cannot settle
    RC_ASSERT(!choice.reason.empty());
  }
}

TEST(PrimaryChoice, AStalePrimaryBackAfterAPromotionIsNotWrittenTo) {
  // Host 0 was the primary on timeline 1; host 1 was promoted (timeline 2) and is followed; host
  // 0 comes back still believing it is a primary.
  const std::vector<HostFacts> hosts{
      {.error = std::nullopt, .in_recovery = false, .system_identifier = kCluster, .timeline = 1},
      {.error = std::nullopt, .in_recovery = false, .system_identifier = kCluster, .timeline = 2}};
  EXPECT_EQ(choose_primary(hosts, 1, 2, kCluster).follow, std::optional<std::size_t>(1));
  // Even when host 1 is down, host 0 is not written to.
  const std::vector<HostFacts> promoted_down{
      hosts[0],
      {.error = "connection refused", .in_recovery = false, .system_identifier = 0, .timeline = 0}};
  const auto choice = choose_primary(promoted_down, 1, 2, kCluster);
  EXPECT_FALSE(choice.follow);
  EXPECT_NE(choice.reason.find("timeline 2"), std::string::npos) << choice.reason;
}

TEST(PrimaryChoice, APromotedReplicaIsFollowedWhenThePrimaryIsDown) {
  const std::vector<HostFacts> hosts{
      {.error = "connection refused", .in_recovery = false, .system_identifier = 0, .timeline = 0},
      {.error = std::nullopt, .in_recovery = false, .system_identifier = kCluster, .timeline = 2},
      {.error = std::nullopt, .in_recovery = true, .system_identifier = kCluster, .timeline = 1}};
  EXPECT_EQ(choose_primary(hosts, 0, 1, kCluster).follow, std::optional<std::size_t>(1));
}

TEST(PrimaryChoice, AServerOfAnotherClusterIsNeverWrittenTo) {
  const std::vector<HostFacts> hosts{
      {.error = "connection refused", .in_recovery = false, .system_identifier = 0, .timeline = 0},
      {.error = std::nullopt,
       .in_recovery = false,
       .system_identifier = kCluster + 1,
       .timeline = 9}};
  EXPECT_FALSE(choose_primary(hosts, 0, 1, kCluster).follow);
}

}  // namespace
}  // namespace utxoiq::pg
