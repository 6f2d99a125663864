// The failed-authentication limiter's decision (cache/distributed_failed_auth_limiter.hpp) over a
// fake of the shared count (cache::FailureCounts: the same log as the Redis script, in memory,
// switchable off), with the time driven by hand:
//  - failures of one address seen by two processes are limited as one count;
//  - a process that has seen none learns the block from its first failure (429, not 401), and
//    blocks by itself until the time the shared count gave;
//  - blocked() never asks the shared count (requests that authenticate cost no round trip);
//  - with the shared count unavailable, each process blocks after `limit` failures it saw
//    (never unlimited), and after the outage those failures still count in that process;
//  - the counters exported on /metrics (app/failed_auth_metrics.hpp) move by exactly the requests
//    refused 401 and 429, and the blocked-address gauge counts each blocked address once;
// and the in-process window itself (resilience/failed_auth_window.hpp) and the count of blocked
// addresses (resilience/blocked_address_count.hpp).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <deque>
#include <map>

#include "cache/distributed_failed_auth_limiter.hpp"
#include "resilience/blocked_address_count.hpp"
#include "resilience/failed_auth_window.hpp"
#include "support/run_task.hpp"

namespace utxoiq::cache {
namespace {

using namespace std::chrono_literals;
using resilience::FailedAuthLimits;
using resilience::ManualClock;
using resilience::TimePoint;

// The shared log as the Redis script keeps it: per address the failures of the last window,
// trimmed to the newest `limit`.
class FakeFailureCounts : public FailureCounts {
 public:
  FakeFailureCounts(FailedAuthLimits limits, const ManualClock& clock)
      : limits_(limits), clock_(clock) {}

  Task<std::optional<FailureCount>> add(const std::string& address) override {
    ++calls;
    if (!up) co_return std::nullopt;
    const TimePoint now = clock_.now();
    auto& times = log_[address];
    while (!times.empty() && times.front() <= now - limits_.window) times.pop_front();
    FailureCount count{.before = static_cast<std::uint32_t>(times.size())};
    times.push_back(now);
    while (times.size() > limits_.limit) times.pop_front();
    if (count.before + 1 >= limits_.limit) count.blocked_for = times.front() + limits_.window - now;
    co_return count;
  }

  bool up = true;
  int calls = 0;

 private:
  FailedAuthLimits limits_;
  const ManualClock& clock_;
  std::map<std::string, std::deque<TimePoint>> log_;
};

class FailedAuthLimiterDecision : public ::testing::Test {
 protected:
  static constexpr FailedAuthLimits kLimits{.limit = 4, .window = 60s, .max_addresses = 1000};

  // The answer a failure gets: 401, or 429 with its Retry-After.
  std::string fail(DistributedFailedAuthLimiter& limiter, const std::string& address = "a") {
    const auto over = testing::run_task(io_, limiter.record_failure(address));
    return over ? "429/" + std::to_string(*over) : "401";
  }

  boost::asio::io_context io_;
  ManualClock clock_;
  FakeFailureCounts shared_{kLimits, clock_};
  DistributedFailedAuthLimiter a_{shared_, kLimits, clock_.fn()};
  DistributedFailedAuthLimiter b_{shared_, kLimits, clock_.fn()};
};

TEST_F(FailedAuthLimiterDecision, FailuresSpreadOverTwoProcessesAreLimitedAsOne) {
  EXPECT_EQ(fail(a_), "401");
  EXPECT_EQ(fail(b_), "401");
  EXPECT_EQ(fail(a_), "401");
  EXPECT_FALSE(b_.blocked("a"));
  EXPECT_EQ(fail(b_), "401");  // the 4th: the limit is reached, b knows it
  EXPECT_EQ(b_.blocked("a"), 60);
  EXPECT_FALSE(a_.blocked("a")) << "a has seen 2 failures and has not been told yet";
  clock_.advance(10s);
  EXPECT_EQ(fail(a_), "429/50");  // a learns it from its next failure: until the first leaves
  EXPECT_EQ(a_.blocked("a"), 50);
  EXPECT_EQ(b_.blocked("a"), 50);
  EXPECT_FALSE(a_.blocked("another address"));
  EXPECT_EQ(a_.counters().shared + b_.counters().shared, 5u);
  EXPECT_EQ(a_.counters().in_process + b_.counters().in_process, 0u);
}

TEST_F(FailedAuthLimiterDecision, TheBlockEndsWhenTheOldestCountedFailureLeavesTheWindow) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(fail(i % 2 == 0 ? a_ : b_), "401");
    clock_.advance(5s);
  }
  // Failures at 0, 5, 10, 15 s; now 20 s. b learnt the block (until 60 s).
  EXPECT_EQ(b_.blocked("a"), 40);
  clock_.advance(39s);
  EXPECT_EQ(b_.blocked("a"), 1);
  clock_.advance(1s);  // 60 s: the failure at 0 s has left the window
  EXPECT_FALSE(b_.blocked("a"));
  EXPECT_EQ(b_.learned_blocks(), 0u);
  EXPECT_EQ(fail(a_), "401");     // 3 in the window before it: the limit again, not over it
  EXPECT_EQ(a_.blocked("a"), 5);  // until the failure at 5 s leaves
}

TEST_F(FailedAuthLimiterDecision, AskingWhetherBlockedCostsNoCallToTheSharedCount) {
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(a_.blocked("192.0.2.1"));
    EXPECT_FALSE(b_.blocked("192.0.2.2"));
  }
  EXPECT_EQ(shared_.calls, 0);
  EXPECT_EQ(fail(a_), "401");
  EXPECT_EQ(shared_.calls, 1);
}

TEST_F(FailedAuthLimiterDecision, SharedCountDownEachProcessBlocksAfterTheFailuresItSaw) {
  shared_.up = false;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fail(a_), "401");
  EXPECT_FALSE(a_.blocked("a"));
  EXPECT_EQ(fail(a_), "401");
  EXPECT_EQ(a_.blocked("a"), 60) << "never unlimited: the process's own count";
  EXPECT_FALSE(b_.blocked("a")) << "per process while the shared count is down";
  EXPECT_EQ(a_.counters().in_process, 4u);
  EXPECT_EQ(a_.counters().shared, 0u);
}

TEST_F(FailedAuthLimiterDecision, FailuresOfAnOutageStillCountInTheirProcessAfterIt) {
  EXPECT_EQ(fail(a_), "401");  // shared and in process
  shared_.up = false;
  EXPECT_EQ(fail(a_), "401");  // in process only
  EXPECT_EQ(fail(a_), "401");
  shared_.up = true;  // the shared count has seen 1 failure, this process 3
  EXPECT_EQ(fail(a_), "401");
  EXPECT_EQ(a_.blocked("a"), 60) << "4 failures in this process's window";
  EXPECT_FALSE(b_.blocked("a"));
}

TEST_F(FailedAuthLimiterDecision, TheLearnedBlocksAreBounded) {
  const FailedAuthLimits small{.limit = 1, .window = 60s, .max_addresses = 3};
  FakeFailureCounts shared(small, clock_);
  DistributedFailedAuthLimiter limiter(shared, small, clock_.fn());
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(fail(limiter, "address-" + std::to_string(i)), "401");
    EXPECT_LE(limiter.learned_blocks(), 3u);
  }
  EXPECT_TRUE(limiter.blocked("address-9"));
}

// What the middleware does with each answer: 429 for a blocked address before its key is looked
// at, else the failure's 401 or 429. Returns the status sent.
int refuse_bad_key(DistributedFailedAuthLimiter& limiter, boost::asio::io_context& io,
                   const std::string& address) {
  if (limiter.blocked(address)) return 429;
  return testing::run_task(io, limiter.record_failure(address)) ? 429 : 401;
}

TEST_F(FailedAuthLimiterDecision, TheCountersMoveByExactlyTheRefusedRequests) {
  std::map<int, std::uint64_t> sent;
  // Alternating processes: 4 failures reach the shared limit (401), then a learns the block from
  // its next failure (429) and both refuse before the key (429).
  for (int i = 0; i < 10; ++i) ++sent[refuse_bad_key(i % 2 == 0 ? a_ : b_, io_, "a")];
  // Another address, shared count down: 4 failures in a alone (401), then a blocks by itself.
  shared_.up = false;
  for (int i = 0; i < 6; ++i) ++sent[refuse_bad_key(a_, io_, "b")];
  EXPECT_EQ(sent[401], 8u);
  EXPECT_EQ(sent[429], 8u);
  const auto a = a_.counters();
  const auto b = b_.counters();
  EXPECT_EQ(a.unauthorized + b.unauthorized, sent[401]);
  EXPECT_EQ(a.blocked + b.blocked, sent[429]);
  EXPECT_EQ(a.unauthorized, 6u);  // 2 of "a", 4 of "b"
  EXPECT_EQ(a.blocked, 5u);       // "a": 1 at its failure, 2 before the key; "b": 2 before the key
  // Every failure is counted once, shared or in process; a 429 before the key is no failure.
  EXPECT_EQ(a.shared + a.in_process + b.shared + b.in_process, 8u + 1u);
  // blocked() is asked before any key is looked at: a yes is a refused request, whatever its key.
  EXPECT_EQ(a_.blocked("a"), 60);
  EXPECT_EQ(a_.counters().blocked, a.blocked + 1);
  EXPECT_FALSE(a_.blocked("c"));
  EXPECT_EQ(a_.counters().blocked, a.blocked + 1) << "a request let through is not counted";
}

TEST_F(FailedAuthLimiterDecision, TheGaugeCountsEachBlockedAddressOnceUntilItsBlockEnds) {
  EXPECT_EQ(a_.blocked_addresses(), 0u);
  for (int i = 0; i < 4; ++i) fail(a_, "own");  // blocked by a's own count (and learned)
  for (int i = 0; i < 4; ++i) fail(b_, "learned");
  EXPECT_EQ(fail(a_, "learned"), "429/60");  // learned from the shared count only
  for (int i = 0; i < 3; ++i) fail(a_, "under the limit");
  EXPECT_EQ(a_.blocked_addresses(), 2u);
  EXPECT_EQ(b_.blocked_addresses(), 1u);
  clock_.advance(59s);
  EXPECT_EQ(a_.blocked_addresses(), 2u);
  clock_.advance(1s);  // the first failures leave the window: every block ends
  EXPECT_EQ(a_.blocked_addresses(), 0u);
  EXPECT_EQ(b_.blocked_addresses(), 0u);

  shared_.up = false;  // in process only
  for (int i = 0; i < 4; ++i) fail(a_, "outage");
  EXPECT_EQ(a_.blocked_addresses(), 1u);
  EXPECT_EQ(b_.blocked_addresses(), 0u);
}

TEST(FailedAuthWindow, BlocksAfterTheLimitUntilTheOldestFailureLeavesTheWindow) {
  resilience::FailedAuthWindow window({.limit = 2, .window = 10s, .max_addresses = 2});
  const auto t0 = TimePoint{} + 1h;
  window.record_failure("a", t0);
  EXPECT_FALSE(window.blocked("a", t0 + 1s));
  window.record_failure("a", t0 + 2s);
  EXPECT_EQ(window.blocked("a", t0 + 3s), 7);  // until t0 + 10 s
  EXPECT_FALSE(window.blocked("a", t0 + 10s));
  // Bounded: a third address pushes out the oldest one.
  window.record_failure("b", t0);
  window.record_failure("c", t0);
  EXPECT_EQ(window.tracked_addresses(), 2u);
}

TEST(FailedAuthWindow, ARecordedFailureTellsWhenTheBlockItLeavesEnds) {
  resilience::FailedAuthWindow window({.limit = 2, .window = 10s, .max_addresses = 10});
  const auto t0 = TimePoint{} + 1h;
  EXPECT_FALSE(window.record_failure("a", t0));
  const auto until = window.record_failure("a", t0 + 1s);
  ASSERT_TRUE(until);
  EXPECT_EQ(*until, t0 + 10s);  // when the failure at t0 leaves the window
  EXPECT_TRUE(window.blocked("a", *until - 1ms));
  EXPECT_FALSE(window.blocked("a", *until));
  EXPECT_EQ(window.record_failure("a", t0 + 12s), std::nullopt) << "the one at t0 + 1 s is gone";
  EXPECT_EQ(window.record_failure("a", t0 + 13s), t0 + 22s);
}

TEST(BlockedAddressCount, CountsEachAddressOnceUntilItsLatestEnd) {
  resilience::BlockedAddressCount blocked(100);
  const auto t0 = TimePoint{} + 1h;
  blocked.note("a", t0 + 10s, t0);
  blocked.note("b", t0 + 5s, t0);
  blocked.note("a", t0 + 3s, t0);   // an earlier end: a stays until t0 + 10 s
  blocked.note("b", t0 + 20s, t0);  // a later one: b now until t0 + 20 s
  blocked.note("c", t0, t0);        // already over: not counted
  EXPECT_EQ(blocked.count(t0), 2u);
  EXPECT_EQ(blocked.count(t0 + 9s), 2u);
  EXPECT_EQ(blocked.count(t0 + 10s), 1u);  // the end is exclusive, as blocked() has it
  EXPECT_EQ(blocked.count(t0 + 19s), 1u);
  EXPECT_EQ(blocked.count(t0 + 20s), 0u);
  blocked.note("a", t0 + 30s, t0 + 20s);
  EXPECT_EQ(blocked.count(t0 + 20s), 1u);
}

TEST(BlockedAddressCount, IsBounded) {
  resilience::BlockedAddressCount blocked(3);
  const auto t0 = TimePoint{} + 1h;
  for (int i = 0; i < 10; ++i) blocked.note("address-" + std::to_string(i), t0 + 60s, t0);
  EXPECT_EQ(blocked.count(t0), 3u);
  EXPECT_EQ(blocked.count(t0 + 60s), 0u);
  blocked.note("another", t0 + 90s, t0 + 60s);  // room again once those ended
  EXPECT_EQ(blocked.count(t0 + 60s), 1u);
}

}  // namespace
}  // namespace utxoiq::cache
