// Sliding-window rate limiter: per-key and global limits, the integer Reset / Retry-After values,
// admin bypass, pruning of idle keys and concurrent use, on a manual clock.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "resilience/clock.hpp"
#include "resilience/sliding_window_limiter.hpp"

namespace utxoiq::resilience {
namespace {

using namespace std::chrono_literals;

SlidingWindowLimiterOptions opts(Duration window, std::uint32_t per_key, std::uint32_t global,
                                 std::size_t shards = 16) {
  SlidingWindowLimiterOptions options;
  options.window = window;
  options.per_key_limit = per_key;
  options.global_limit = global;
  options.shards = shards;
  return options;
}

class LimiterTest : public ::testing::Test {
 protected:
  ManualClock clock_;
};

TEST_F(LimiterTest, AdmitsUpToThePerKeyLimitPerMinute) {
  SlidingWindowLimiter limiter({}, clock_.fn());
  for (std::uint32_t i = 1; i <= 100; ++i) {
    const RateLimitDecision d = limiter.acquire("key-a");
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.limit, 100u);
    EXPECT_EQ(d.remaining, 100u - i);
    EXPECT_EQ(d.retry_after_seconds, 0);
    EXPECT_EQ(d.reset_seconds, 60);  // all at the same instant: the oldest leaves in 60 s
  }
  const RateLimitDecision refused = limiter.acquire("key-a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0u);
  EXPECT_EQ(refused.retry_after_seconds, 60);
  EXPECT_EQ(refused.reset_seconds, 60);
  // Another key has its own budget.
  EXPECT_TRUE(limiter.acquire("key-b").allowed);
  EXPECT_EQ(limiter.counters().allowed, 101u);
  EXPECT_EQ(limiter.counters().limited_per_key, 1u);
}

TEST_F(LimiterTest, WindowSlidesRatherThanResettingAtMinuteBoundaries) {
  SlidingWindowLimiter limiter(opts(60s, 3, 1000), clock_.fn());
  ASSERT_TRUE(limiter.acquire("k").allowed);  // t = 0
  clock_.advance(20s);
  ASSERT_TRUE(limiter.acquire("k").allowed);  // t = 20
  clock_.advance(20s);
  ASSERT_TRUE(limiter.acquire("k").allowed);  // t = 40
  clock_.advance(10s);                        // t = 50: 3 in (-10, 50]
  RateLimitDecision d = limiter.acquire("k");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 10);  // the t = 0 request leaves at t = 60
  clock_.advance(10s);                   // t = 60: the first one is out of (0, 60]
  d = limiter.acquire("k");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 0u);
  EXPECT_EQ(d.reset_seconds, 20);  // the t = 20 one leaves at t = 80
  d = limiter.acquire("k");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 20);
}

TEST_F(LimiterTest, RetryAfterIsRoundedUpToWholeSeconds) {
  SlidingWindowLimiter limiter(opts(60s, 1, 1000), clock_.fn());
  ASSERT_TRUE(limiter.acquire("k").allowed);
  clock_.advance(59s + 1ms);  // 0.999 s left
  RateLimitDecision d = limiter.acquire("k");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 1);
  EXPECT_EQ(d.reset_seconds, 1);
  clock_.advance(998ms);  // 1 ms left: still 1, never 0 while refused
  d = limiter.acquire("k");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 1);
  clock_.advance(1ms);  // exactly 60 s later: admitted
  EXPECT_TRUE(limiter.acquire("k").allowed);
}

TEST_F(LimiterTest, ResetIsAtLeastOneSecondEvenForTinyWindows) {
  SlidingWindowLimiter limiter(opts(100ms, 1, 10), clock_.fn());
  const RateLimitDecision allowed = limiter.acquire("k");
  EXPECT_TRUE(allowed.allowed);
  EXPECT_EQ(allowed.reset_seconds, 1);
  const RateLimitDecision refused = limiter.acquire("k");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_EQ(refused.reset_seconds, 1);
}

TEST_F(LimiterTest, GlobalLimitAcrossKeys) {
  SlidingWindowLimiter limiter(opts(60s, 5, 8), clock_.fn());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.acquire("a").allowed);
  clock_.advance(10s);
  RateLimitDecision d;
  for (int i = 0; i < 3; ++i) {
    d = limiter.acquire("b");
    ASSERT_TRUE(d.allowed);
  }
  // b has 2 left of its own, but only 0 globally: remaining reports the smaller.
  EXPECT_EQ(d.remaining, 0u);
  EXPECT_EQ(d.reset_seconds, 50);  // the global log's oldest (a's, at t = 0) leaves at t = 60
  d = limiter.acquire("c");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 50);
  EXPECT_EQ(limiter.counters().limited_global, 1u);
  // A refused request counted toward nothing: at t = 60 a's five leave and five slots free up.
  clock_.advance(50s);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.acquire("c").allowed) << i;
  EXPECT_FALSE(limiter.acquire("c").allowed);  // c's own limit now
}

TEST_F(LimiterTest, RefusalByKeyDoesNotConsumeGlobalBudget) {
  SlidingWindowLimiter limiter(opts(60s, 2, 3), clock_.fn());
  ASSERT_TRUE(limiter.acquire("a").allowed);
  ASSERT_TRUE(limiter.acquire("a").allowed);
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(limiter.acquire("a").allowed);
  EXPECT_TRUE(limiter.acquire("b").allowed);  // global: 3 of 3
  EXPECT_FALSE(limiter.acquire("c").allowed);
}

TEST_F(LimiterTest, AdminBypassesAndIsNotCounted) {
  SlidingWindowLimiter limiter(opts(60s, 2, 2), clock_.fn());
  for (int i = 0; i < 50; ++i) {
    const RateLimitDecision d = limiter.acquire("admin", /*admin=*/true);
    ASSERT_TRUE(d.allowed);
    EXPECT_TRUE(d.bypassed);
    EXPECT_EQ(d.retry_after_seconds, 0);
  }
  EXPECT_TRUE(limiter.acquire("x").allowed);
  EXPECT_TRUE(limiter.acquire("y").allowed);
  EXPECT_FALSE(limiter.acquire("z").allowed);           // global full with regular requests only
  EXPECT_TRUE(limiter.acquire("admin", true).allowed);  // still admitted when global is full
  EXPECT_EQ(limiter.counters().bypassed, 51u);
  EXPECT_EQ(limiter.tracked_keys(), 2u);  // no log for the admin key
}

TEST_F(LimiterTest, IdleKeysArePruned) {
  SlidingWindowLimiter limiter(opts(60s, 10, 100000), clock_.fn());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.acquire("key-" + std::to_string(i)).allowed);
  EXPECT_EQ(limiter.tracked_keys(), 1000u);
  clock_.advance(30s);
  EXPECT_EQ(limiter.prune(), 0u);  // all still inside the window
  clock_.advance(30s);
  EXPECT_EQ(limiter.prune(), 1000u);
  EXPECT_EQ(limiter.tracked_keys(), 0u);
}

TEST_F(LimiterTest, AcquireItselfPrunesOncePerWindow) {
  SlidingWindowLimiter limiter(opts(60s, 10, 100000, 1), clock_.fn());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.acquire("old-" + std::to_string(i)).allowed);
  clock_.advance(61s);
  ASSERT_TRUE(limiter.acquire("new").allowed);  // the sweep is due: the old logs go
  EXPECT_EQ(limiter.tracked_keys(), 1u);
}

TEST_F(LimiterTest, RefusedUnknownKeyLeavesNoLog) {
  SlidingWindowLimiter limiter(opts(60s, 5, 1), clock_.fn());
  ASSERT_TRUE(limiter.acquire("a").allowed);
  for (int i = 0; i < 100; ++i) ASSERT_FALSE(limiter.acquire("k" + std::to_string(i)).allowed);
  EXPECT_EQ(limiter.tracked_keys(), 1u);
}

TEST_F(LimiterTest, ConcurrentCallersNeverExceedTheLimits) {
  // Time is frozen, so exactly the limits are admitted whatever the interleaving.
  SlidingWindowLimiter limiter(opts(60s, 50, 120), clock_.fn());
  std::atomic<int> admitted_total{0};
  std::vector<std::atomic<int>> admitted_per_key(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const int key = (t + i) % 4;
        if (limiter.acquire("key-" + std::to_string(key)).allowed) {
          admitted_total.fetch_add(1);
          admitted_per_key[key].fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(admitted_total.load(), 120);
  for (const auto& count : admitted_per_key) EXPECT_LE(count.load(), 50);
  EXPECT_EQ(limiter.counters().allowed, 120u);
  EXPECT_EQ(limiter.counters().limited_per_key + limiter.counters().limited_global, 1600u - 120u);
}

TEST_F(LimiterTest, RejectsInvalidOptions) {
  EXPECT_THROW(SlidingWindowLimiter(opts(0s, 1, 1), clock_.fn()), std::invalid_argument);
  EXPECT_THROW(SlidingWindowLimiter(opts(60s, 0, 1), clock_.fn()), std::invalid_argument);
  EXPECT_THROW(SlidingWindowLimiter(opts(60s, 1, 0), clock_.fn()), std::invalid_argument);
  EXPECT_THROW(SlidingWindowLimiter(opts(60s, 1, 1, 0), clock_.fn()), std::invalid_argument);
}

}  // namespace
}  // namespace utxoiq::resilience
