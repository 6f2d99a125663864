// Circuit breaker: the transitions of closed / open / half_open, Retry-After values, the growth
// of the open duration, permits, counters and option checks, all on a manual clock.
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <utility>
#include <vector>

#include "resilience/circuit_breaker.hpp"
#include "resilience/clock.hpp"

namespace utxoiq::resilience {
namespace {

using namespace std::chrono_literals;

class BreakerTest : public ::testing::Test {
 protected:
  // Makes `calls` calls, the first `failures` of them failing.
  static void calls(CircuitBreaker& breaker, int calls, int failures) {
    for (int i = 0; i < calls; ++i) {
      auto permit = breaker.try_acquire();
      ASSERT_TRUE(permit);
      if (i < failures) {
        permit.failure();
      } else {
        permit.success();
      }
    }
  }

  // Opens a breaker with default options: 10 failures + 10 successes = 20 calls at 50%.
  void open_it(CircuitBreaker& breaker) {
    calls(breaker, 10, 0);
    calls(breaker, 10, 10);
    ASSERT_EQ(breaker.state(), BreakerState::open);
  }

  ManualClock clock_;
};

TEST_F(BreakerTest, StartsClosedAndAdmits) {
  CircuitBreaker breaker({}, clock_.fn());
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  EXPECT_TRUE(breaker.allow());
  EXPECT_EQ(breaker.retry_after(), 0s);
}

TEST_F(BreakerTest, OpensAtFiftyPercentWithMinimumCalls) {
  CircuitBreaker breaker({}, clock_.fn());
  calls(breaker, 10, 0);  // 10 successes
  calls(breaker, 9, 9);   // 9 failures: 19 calls, below the minimum of 20
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  calls(breaker, 1, 1);  // 20 calls, 10 failures = 50%
  EXPECT_EQ(breaker.state(), BreakerState::open);
  EXPECT_FALSE(breaker.allow());
  EXPECT_EQ(breaker.counters().rejected, 1u);
}

TEST_F(BreakerTest, ResetClosesAnOpenBreakerAndForgetsTheOldResource) {
  CircuitBreaker breaker({}, clock_.fn());
  open_it(breaker);
  breaker.reset();  // e.g. the pool now connects to a promoted replica
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  EXPECT_TRUE(breaker.allow());
  EXPECT_EQ(breaker.retry_after(), 0s);
}

TEST_F(BreakerTest, ResetEmptiesTheWindowAndIgnoresPermitsGrantedBefore) {
  CircuitBreaker breaker({}, clock_.fn());
  calls(breaker, 19, 10);
  auto before = breaker.try_acquire();
  ASSERT_TRUE(before);
  breaker.reset();
  before.failure();  // of the old resource: not counted
  EXPECT_EQ(breaker.window().calls, 0u);
  calls(breaker, 19, 19);  // a fresh window: 19 calls are below the minimum
  EXPECT_EQ(breaker.state(), BreakerState::closed);
}

TEST_F(BreakerTest, StaysClosedBelowFiftyPercent) {
  CircuitBreaker breaker({}, clock_.fn());
  calls(breaker, 11, 0);
  calls(breaker, 9, 9);  // 9 of 20 = 45%
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  calls(breaker, 1, 0);  // 9 of 21
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  const BreakerWindow window = breaker.window();
  EXPECT_EQ(window.calls, 21u);
  EXPECT_EQ(window.failures, 9u);
}

TEST_F(BreakerTest, NineteenFailuresAloneDoNotOpen) {
  CircuitBreaker breaker({}, clock_.fn());
  calls(breaker, 19, 19);  // 100% failures but only 19 calls
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  calls(breaker, 1, 1);
  EXPECT_EQ(breaker.state(), BreakerState::open);
}

TEST_F(BreakerTest, OldCallsLeaveTheWindow) {
  CircuitBreaker breaker({}, clock_.fn());
  calls(breaker, 15, 15);  // 15 failures at t0
  clock_.advance(60s);     // their bucket is now out of the 60-bucket window
  calls(breaker, 5, 5);    // only these 5 count: below the minimum
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  EXPECT_EQ(breaker.window().calls, 5u);
}

TEST_F(BreakerTest, CallsJustInsideTheWindowStillCount) {
  CircuitBreaker breaker({}, clock_.fn());
  calls(breaker, 15, 15);
  clock_.advance(59s);  // bucket 0 is the oldest of buckets 0..59: still counted
  calls(breaker, 5, 5);
  EXPECT_EQ(breaker.state(), BreakerState::open);
}

TEST_F(BreakerTest, OpenRejectsWithRetryAfterCountingDown) {
  CircuitBreaker breaker({}, clock_.fn());
  open_it(breaker);
  EXPECT_EQ(breaker.retry_after(), 30s);
  clock_.advance(500ms);
  EXPECT_EQ(breaker.retry_after(), 30s);  // 29.5 s rounds up
  clock_.advance(29s);
  EXPECT_EQ(breaker.retry_after(), 1s);  // 0.5 s rounds up to 1, never 0 while open
  EXPECT_FALSE(breaker.try_acquire());
  clock_.advance(499ms);
  EXPECT_EQ(breaker.state(), BreakerState::open);
  EXPECT_EQ(breaker.retry_after(), 1s);
  clock_.advance(1ms);  // exactly 30 s after opening
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
  EXPECT_EQ(breaker.retry_after(), 0s);
}

TEST_F(BreakerTest, HalfOpenAdmitsThreeProbesThenCloses) {
  CircuitBreaker breaker({}, clock_.fn());
  open_it(breaker);
  clock_.advance(30s);
  auto p1 = breaker.try_acquire();
  auto p2 = breaker.try_acquire();
  auto p3 = breaker.try_acquire();
  ASSERT_TRUE(p1 && p2 && p3);
  EXPECT_FALSE(breaker.try_acquire());  // a fourth call is refused while the probes run
  EXPECT_EQ(breaker.retry_after(), 1s);
  p1.success();
  p2.success();
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
  EXPECT_FALSE(breaker.try_acquire());  // two succeeded, one still out: no slot
  p3.success();
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  EXPECT_EQ(breaker.window().calls, 0u);  // the window starts empty after closing
  EXPECT_TRUE(breaker.allow());
}

TEST_F(BreakerTest, FailedProbeReopensForLongerEachTimeUpToTheCap) {
  CircuitBreakerOptions options;
  options.max_open_duration = 100s;
  CircuitBreaker breaker(options, clock_.fn());
  open_it(breaker);
  EXPECT_EQ(breaker.retry_after(), 30s);
  const std::vector<std::chrono::seconds> expected = {60s, 100s, 100s};
  std::chrono::seconds previous = 30s;
  for (const auto next : expected) {
    clock_.advance(previous);
    ASSERT_EQ(breaker.state(), BreakerState::half_open);
    EXPECT_EQ(breaker.next_open_duration(), next);
    auto probe = breaker.try_acquire();
    ASSERT_TRUE(probe);
    probe.failure();
    EXPECT_EQ(breaker.state(), BreakerState::open);
    EXPECT_EQ(breaker.retry_after(), next);
    previous = next;
  }
  // A successful trial resets the duration to its base for the next opening.
  clock_.advance(previous);
  calls(breaker, 3, 0);
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  EXPECT_EQ(breaker.next_open_duration(), 30s);
  open_it(breaker);
  EXPECT_EQ(breaker.retry_after(), 30s);
}

TEST_F(BreakerTest, HundredsOfFailedTrialsStillOpenForTheCap) {
  // 30 s x 3^k leaves the range of the clock's 64-bit nanoseconds after about 30 failed trials;
  // every opening after that must still last exactly the cap, never zero or negative.
  CircuitBreakerOptions options;
  options.open_backoff_multiplier = 3.0;
  options.max_open_duration = 120s;
  CircuitBreaker breaker(options, clock_.fn());
  open_it(breaker);
  clock_.advance(30s);
  for (int trial = 1; trial <= 300; ++trial) {
    ASSERT_EQ(breaker.state(), BreakerState::half_open) << "trial " << trial;
    auto probe = breaker.try_acquire();
    ASSERT_TRUE(probe);
    probe.failure();
    ASSERT_EQ(breaker.state(), BreakerState::open) << "trial " << trial;
    const auto expected = trial == 1 ? 90s : 120s;
    ASSERT_EQ(breaker.retry_after(), expected) << "trial " << trial;
    clock_.advance(expected - 1ms);
    ASSERT_EQ(breaker.state(), BreakerState::open) << "trial " << trial;
    clock_.advance(1ms);
  }
}

TEST_F(BreakerTest, LostProbeGivesItsSlotBack) {
  CircuitBreaker breaker({}, clock_.fn());
  open_it(breaker);
  clock_.advance(30s);
  {
    auto lost = breaker.try_acquire();
    ASSERT_TRUE(lost);
    auto p2 = breaker.try_acquire();
    auto p3 = breaker.try_acquire();
    ASSERT_TRUE(p2 && p3);
    EXPECT_FALSE(breaker.try_acquire());
    p2.success();
    p3.success();
  }  // `lost` is destroyed without an outcome
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
  auto again = breaker.try_acquire();
  ASSERT_TRUE(again);
  again.success();
  EXPECT_EQ(breaker.state(), BreakerState::closed);
}

TEST_F(BreakerTest, OutcomeOfAPermitFromAnEarlierStateIsIgnored) {
  CircuitBreaker breaker({}, clock_.fn());
  auto slow = breaker.try_acquire();  // granted while closed
  ASSERT_TRUE(slow);
  open_it(breaker);
  clock_.advance(30s);
  auto probe = breaker.try_acquire();
  ASSERT_TRUE(probe);
  slow.failure();  // a straggler from before: must not reopen the breaker
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
  EXPECT_EQ(breaker.counters().ignored, 1u);
  probe.success();
  calls(breaker, 2, 0);
  EXPECT_EQ(breaker.state(), BreakerState::closed);
}

TEST_F(BreakerTest, UntrackedRecordsFollowTheCurrentState) {
  CircuitBreaker breaker({}, clock_.fn());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(breaker.allow());
    breaker.record_failure();
  }
  EXPECT_EQ(breaker.state(), BreakerState::open);
  breaker.record_failure();  // while open: ignored
  EXPECT_EQ(breaker.counters().ignored, 1u);
  clock_.advance(30s);
  breaker.record_success();  // half_open, no probe out: ignored
  EXPECT_EQ(breaker.counters().ignored, 2u);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(breaker.allow());
  EXPECT_FALSE(breaker.allow());
  breaker.record_success();
  breaker.record_success();
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
  breaker.record_success();
  EXPECT_EQ(breaker.state(), BreakerState::closed);
}

TEST_F(BreakerTest, CountersAndTransitionCallback) {
  std::vector<std::pair<BreakerState, BreakerState>> seen;
  CircuitBreakerOptions options;
  options.on_transition = [&](BreakerState from, BreakerState to) { seen.emplace_back(from, to); };
  CircuitBreaker breaker(options, clock_.fn());
  open_it(breaker);
  EXPECT_FALSE(breaker.allow());
  EXPECT_FALSE(breaker.allow());
  clock_.advance(30s);
  auto probe = breaker.try_acquire();  // the due open -> half_open happens here
  probe.failure();
  clock_.advance(60s);
  calls(breaker, 3, 0);
  const std::vector<std::pair<BreakerState, BreakerState>> expected = {
      {BreakerState::closed, BreakerState::open},
      {BreakerState::open, BreakerState::half_open},
      {BreakerState::half_open, BreakerState::open},
      {BreakerState::open, BreakerState::half_open},
      {BreakerState::half_open, BreakerState::closed}};
  EXPECT_EQ(seen, expected);
  const CircuitBreakerCounters counters = breaker.counters();
  EXPECT_EQ(counters.opened, 2u);
  EXPECT_EQ(counters.half_opened, 2u);
  EXPECT_EQ(counters.closed, 1u);
  EXPECT_EQ(counters.rejected, 2u);
  EXPECT_EQ(counters.successes, 10u + 3u);
  EXPECT_EQ(counters.failures, 10u + 1u);
}

TEST_F(BreakerTest, CallbackMayCallTheBreaker) {
  CircuitBreaker* self = nullptr;
  std::vector<BreakerState> states_seen;
  CircuitBreakerOptions options;
  options.on_transition = [&](BreakerState, BreakerState) {
    states_seen.push_back(self->state());  // would deadlock if called under the lock
  };
  CircuitBreaker breaker(options, clock_.fn());
  self = &breaker;
  open_it(breaker);
  ASSERT_EQ(states_seen.size(), 1u);
  EXPECT_EQ(states_seen[0], BreakerState::open);
}

TEST_F(BreakerTest, CustomOptions) {
  CircuitBreakerOptions options;
  options.minimum_calls = 4;
  options.failure_rate_threshold = 0.75;
  options.half_open_probes = 1;
  options.open_duration = 5s;
  options.window = 10s;
  options.bucket_width = 2s;
  CircuitBreaker breaker(options, clock_.fn());
  calls(breaker, 4, 2);  // 50% < 75%
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  calls(breaker, 4, 4);  // 6 of 8 = 75%
  EXPECT_EQ(breaker.state(), BreakerState::open);
  EXPECT_EQ(breaker.retry_after(), 5s);
  clock_.advance(5s);
  auto probe = breaker.try_acquire();
  ASSERT_TRUE(probe);
  EXPECT_FALSE(breaker.try_acquire());  // one probe only
  probe.success();
  EXPECT_EQ(breaker.state(), BreakerState::closed);
}

TEST_F(BreakerTest, RejectsInvalidOptions) {
  const auto make = [&](auto change) {
    CircuitBreakerOptions options;
    change(options);
    CircuitBreaker breaker(options, clock_.fn());
  };
  EXPECT_THROW(make([](auto& o) { o.failure_rate_threshold = 0.0; }), std::invalid_argument);
  EXPECT_THROW(make([](auto& o) { o.failure_rate_threshold = 1.5; }), std::invalid_argument);
  EXPECT_THROW(make([](auto& o) { o.half_open_probes = 0; }), std::invalid_argument);
  EXPECT_THROW(make([](auto& o) { o.bucket_width = 0s; }), std::invalid_argument);
  EXPECT_THROW(make([](auto& o) { o.open_backoff_multiplier = 0.5; }), std::invalid_argument);
  EXPECT_THROW(make([](auto& o) { o.max_open_duration = 10s; }), std::invalid_argument);
  EXPECT_NO_THROW(make([](auto&) {}));
}

TEST(BreakerNames, StateNames) {
  EXPECT_EQ(to_string(BreakerState::closed), "closed");
  EXPECT_EQ(to_string(BreakerState::open), "open");
  EXPECT_EQ(to_string(BreakerState::half_open), "half_open");
}

}  // namespace
}  // namespace utxoiq::resilience
