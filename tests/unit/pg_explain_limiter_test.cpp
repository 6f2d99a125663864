// ExplainLimiter, the "EXPLAIN a slow statement at most once per fingerprint per minute" rule, on
// a clock the test moves by hand: the first slow run of a fingerprint is explained, the next ones
// only once the minute has passed since the last explanation, each fingerprint on its own; past
// the bound of remembered fingerprints a new one waits rather than letting the others be
// explained again early.
#include <gtest/gtest.h>

#include "pg/explain_limiter.hpp"

namespace utxoiq::pg {
namespace {

using namespace std::chrono_literals;

const ExplainLimiter::TimePoint t0{};

TEST(ExplainLimiter, AFingerprintIsExplainedAtItsFirstSlowRunThenOnlyOnceAMinuteHasPassed) {
  ExplainLimiter limiter(60s, 10);
  EXPECT_TRUE(limiter.allow(1, t0));
  EXPECT_FALSE(limiter.allow(1, t0 + 1s));
  EXPECT_FALSE(limiter.allow(1, t0 + 59s + 999ms));
  EXPECT_TRUE(limiter.allow(1, t0 + 60s));
  EXPECT_FALSE(limiter.allow(1, t0 + 119s));  // a minute after the last explanation, not the first
  EXPECT_TRUE(limiter.allow(1, t0 + 120s));
}

TEST(ExplainLimiter, EachFingerprintHasItsOwnMinute) {
  ExplainLimiter limiter(60s, 10);
  EXPECT_TRUE(limiter.allow(1, t0));
  EXPECT_TRUE(limiter.allow(2, t0 + 30s));
  EXPECT_FALSE(limiter.allow(1, t0 + 59s));
  EXPECT_TRUE(limiter.allow(1, t0 + 60s));
  EXPECT_FALSE(limiter.allow(2, t0 + 60s));
  EXPECT_TRUE(limiter.allow(2, t0 + 90s));
}

TEST(ExplainLimiter, PastTheBoundANewFingerprintWaitsAndTheOthersKeepTheirMinute) {
  ExplainLimiter limiter(60s, 2);
  EXPECT_TRUE(limiter.allow(1, t0));
  EXPECT_TRUE(limiter.allow(2, t0 + 10s));
  EXPECT_FALSE(limiter.allow(3, t0 + 20s));  // full, and both are within their minute
  EXPECT_FALSE(limiter.allow(1, t0 + 30s));  // not forgotten to make room
  EXPECT_EQ(limiter.size(), 2u);
  EXPECT_TRUE(limiter.allow(3, t0 + 60s));   // 1's minute has passed: forgotten, room for 3
  EXPECT_FALSE(limiter.allow(2, t0 + 65s));  // 2's has not
  EXPECT_LE(limiter.size(), 2u);
}

}  // namespace
}  // namespace utxoiq::pg
