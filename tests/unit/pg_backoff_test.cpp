// resilience::Backoff, used by the pool between connect attempts: full jitter under an
// exponentially growing, capped ceiling.
#include <gtest/gtest.h>

#include <set>

#include "resilience/backoff.hpp"

namespace utxoiq::resilience {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, CeilingGrowsExponentiallyUpToTheCap) {
  const BackoffPolicy policy{milliseconds{100}, milliseconds{1000}, 2.0};
  EXPECT_EQ(Backoff::ceiling(policy, 0), milliseconds{100});
  EXPECT_EQ(Backoff::ceiling(policy, 1), milliseconds{200});
  EXPECT_EQ(Backoff::ceiling(policy, 3), milliseconds{800});
  EXPECT_EQ(Backoff::ceiling(policy, 4), milliseconds{1000});
  EXPECT_EQ(Backoff::ceiling(policy, 10'000), milliseconds{1000});  // no overflow
}

TEST(Backoff, DelaysStayWithinTheCeilingOfTheirAttempt) {
  const BackoffPolicy policy{milliseconds{100}, milliseconds{10'000}, 2.0};
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Backoff backoff(policy, seed);
    for (int attempt = 0; attempt < 12; ++attempt) {
      const auto delay = backoff.next_delay();
      EXPECT_GE(delay.count(), 0);
      EXPECT_LE(delay, Backoff::ceiling(policy, attempt));
    }
  }
}

TEST(Backoff, DelaysAreJittered) {
  Backoff backoff({milliseconds{1000}, milliseconds{1000}, 1.0}, 7);
  std::set<std::int64_t> seen;
  for (int i = 0; i < 20; ++i) seen.insert(backoff.next_delay().count());
  EXPECT_GT(seen.size(), 10u);  // 20 draws from 0..1000: almost surely mostly distinct
}

TEST(Backoff, ResetStartsOverFromTheBase) {
  Backoff backoff({milliseconds{10}, milliseconds{100'000}, 10.0}, 3);
  for (int i = 0; i < 4; ++i) backoff.next_delay();
  EXPECT_EQ(backoff.attempt(), 4);
  backoff.reset();
  EXPECT_EQ(backoff.attempt(), 0);
  EXPECT_LE(backoff.next_delay(), milliseconds{10});
}

TEST(Backoff, SameSeedSameDelays) {
  Backoff a({}, 99), b({}, 99);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(a.next_delay(), b.next_delay());
}

TEST(Backoff, NonsensePoliciesAreClamped) {
  Backoff backoff({milliseconds{50}, milliseconds{10}, 0.5}, 1);
  // cap below base is raised to base; multiplier below 1 means constant.
  for (int i = 0; i < 5; ++i) EXPECT_LE(backoff.next_delay(), milliseconds{50});
}

}  // namespace
}  // namespace utxoiq::resilience
