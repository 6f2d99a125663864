// The TinyLFU frequency sketch behind the L1 admission filter: doorkeeper, lower bound of the
// estimates, saturation and aging.
#include <gtest/gtest.h>

#include <cstdint>

#include "cache/internal/frequency_sketch.hpp"

namespace utxoiq::cache {
namespace {

TEST(L1FrequencySketch, UnseenIsZeroFirstSightIsOne) {
  FrequencySketch sketch(100);
  const std::uint64_t key = mix_hash(1);
  EXPECT_EQ(sketch.estimate(key), 0u);
  sketch.increment(key);  // only the doorkeeper
  EXPECT_EQ(sketch.estimate(key), 1u);
  sketch.increment(key);
  EXPECT_EQ(sketch.estimate(key), 2u);
}

TEST(L1FrequencySketch, EstimatesNeverFallBelowTheTrueCountBeforeAging) {
  FrequencySketch sketch(1000);  // sample size 40,000: no aging in this test
  // Key k is incremented k % 12 times; 500 keys, 2,750 increments.
  for (std::uint64_t k = 0; k < 500; ++k) {
    for (std::uint64_t n = 0; n < k % 12; ++n) sketch.increment(mix_hash(k));
  }
  ASSERT_EQ(sketch.agings(), 0u);
  std::uint64_t exact = 0;
  for (std::uint64_t k = 0; k < 500; ++k) {
    const std::uint32_t estimate = sketch.estimate(mix_hash(k));
    EXPECT_GE(estimate, k % 12) << k;
    if (estimate == k % 12) ++exact;
  }
  EXPECT_GT(exact, 450u);  // a lightly loaded sketch is mostly exact
}

TEST(L1FrequencySketch, SaturatesAtSixteen) {
  FrequencySketch sketch(100);
  const std::uint64_t key = mix_hash(7);
  for (int i = 0; i < 100; ++i) sketch.increment(key);
  EXPECT_EQ(sketch.estimate(key), 16u);  // 15 in the counters + 1 in the doorkeeper
}

TEST(L1FrequencySketch, AgingHalvesCountsAndClearsTheDoorkeeper) {
  FrequencySketch sketch(16);  // sample size 640
  ASSERT_EQ(sketch.sample_size(), 640u);
  const std::uint64_t hot = mix_hash(12345);
  for (int i = 0; i < 11; ++i) sketch.increment(hot);  // doorkeeper + 10 in the counters
  EXPECT_EQ(sketch.estimate(hot), 11u);
  // Fill up the sample with other keys until the sketch ages once.
  std::uint64_t other = 1'000'000;
  while (sketch.agings() == 0) sketch.increment(mix_hash(other++));
  // Counters halved (10 -> 5, or a little more if other keys share all four counters), doorkeeper
  // cleared: the estimate fell to about half.
  const std::uint32_t aged = sketch.estimate(hot);
  EXPECT_GE(aged, 5u);
  EXPECT_LE(aged, 7u);
}

TEST(L1FrequencySketch, SameInputsSameEstimates) {
  FrequencySketch a(64);
  FrequencySketch b(64);
  for (std::uint64_t i = 0; i < 5000; ++i) {
    a.increment(mix_hash(i % 97));
    b.increment(mix_hash(i % 97));
  }
  for (std::uint64_t i = 0; i < 97; ++i)
    EXPECT_EQ(a.estimate(mix_hash(i)), b.estimate(mix_hash(i)));
}

}  // namespace
}  // namespace utxoiq::cache
