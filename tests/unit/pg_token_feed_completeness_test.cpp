// When this instance may rely on the read-your-writes tokens of every instance
// (pg/token_feed_completeness.hpp): only while the token feed is heard and has been heard without
// a break for max_lag + 2 lag polls; a lost subscription ends it at once, and hearing again starts
// the wait from zero.
#include "pg/token_feed_completeness.hpp"

#include <gtest/gtest.h>

namespace utxoiq::pg {
namespace {

using namespace std::chrono_literals;
using Clock = TokenFeedCompleteness::Clock;

const Clock::time_point t0 = Clock::time_point{} + 1000s;

TEST(TokenFeedCompleteness, RequiredIsTheLagLimitPlusTwoPolls) {
  EXPECT_EQ(TokenFeedCompleteness::required_for(5.0, 1s), 7s);
  EXPECT_EQ(TokenFeedCompleteness::required_for(2.0, 1s), 4s);
  EXPECT_EQ(TokenFeedCompleteness::required_for(0.5, 250ms), 1s);
}

TEST(TokenFeedCompleteness, NeverHeardIsIncomplete) {
  const TokenFeedCompleteness feed(7s);
  EXPECT_FALSE(feed.heard());
  EXPECT_FALSE(feed.complete(t0));
  EXPECT_FALSE(feed.complete(t0 + 3600s));
}

TEST(TokenFeedCompleteness, CompleteOnceHeardForTheRequiredTime) {
  TokenFeedCompleteness feed(7s);
  feed.hearing(true, t0);
  EXPECT_TRUE(feed.heard());
  EXPECT_FALSE(feed.complete(t0));
  EXPECT_FALSE(feed.complete(t0 + 7s - 1ms));
  EXPECT_TRUE(feed.complete(t0 + 7s));
  EXPECT_TRUE(feed.complete(t0 + 3600s));
}

TEST(TokenFeedCompleteness, LosingTheFeedEndsCompletenessAtOnce) {
  TokenFeedCompleteness feed(7s);
  feed.hearing(true, t0);
  ASSERT_TRUE(feed.complete(t0 + 10s));
  feed.hearing(false, t0 + 10s);
  EXPECT_FALSE(feed.complete(t0 + 10s));
  EXPECT_FALSE(feed.complete(t0 + 100s));
}

TEST(TokenFeedCompleteness, HearingAgainStartsTheWaitFromZero) {
  TokenFeedCompleteness feed(7s);
  feed.hearing(true, t0);
  feed.hearing(false, t0 + 10s);
  feed.hearing(true, t0 + 11s);
  EXPECT_FALSE(feed.complete(t0 + 17s));  // 6 s of hearing, although 16 s since the first
  EXPECT_TRUE(feed.complete(t0 + 18s));
}

TEST(TokenFeedCompleteness, RepeatedHearingDoesNotRestartTheWait) {
  TokenFeedCompleteness feed(7s);
  feed.hearing(true, t0);
  feed.hearing(true, t0 + 5s);
  EXPECT_TRUE(feed.complete(t0 + 7s));
}

TEST(TokenFeedCompleteness, ZeroRequiredIsCompleteWhileHeard) {
  TokenFeedCompleteness feed(0s);
  EXPECT_FALSE(feed.complete(t0));
  feed.hearing(true, t0);
  EXPECT_TRUE(feed.complete(t0));
  feed.hearing(false, t0);
  EXPECT_FALSE(feed.complete(t0));
}

}  // namespace
}  // namespace utxoiq::pg
