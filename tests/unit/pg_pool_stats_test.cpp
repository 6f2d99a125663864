// The acquire-wait histogram and the pool's log line.
#include <gtest/gtest.h>

#include "pg/pool_stats.hpp"

namespace utxoiq::pg {
namespace {

using namespace std::chrono;

TEST(PgPoolStats, HistogramIsCumulative) {
  PoolStats stats;
  stats.record_acquire_wait(microseconds{100});  // <= 0.0005
  stats.record_acquire_wait(milliseconds{3});    // <= 0.005
  stats.record_acquire_wait(seconds{10});        // only +Inf
  EXPECT_EQ(stats.acquire_wait_count, 3u);
  EXPECT_NEAR(stats.acquire_wait_seconds_sum, 10.0031, 1e-9);
  EXPECT_EQ(stats.acquire_wait_buckets[0], 1u);      // 0.0005
  EXPECT_EQ(stats.acquire_wait_buckets[1], 1u);      // 0.001
  EXPECT_EQ(stats.acquire_wait_buckets[2], 2u);      // 0.005
  EXPECT_EQ(stats.acquire_wait_buckets.back(), 2u);  // 5 s
}

TEST(PgPoolStats, LogLineNamesTheRequiredFigures) {
  PoolStats stats;
  stats.size = 7;
  stats.active = 3;
  stats.idle = 4;
  stats.waiting = 2;
  const std::string line = describe(stats, "primary");
  EXPECT_NE(line.find("pg pool primary"), std::string::npos);
  EXPECT_NE(line.find("active=3"), std::string::npos);
  EXPECT_NE(line.find("idle=4"), std::string::npos);
  EXPECT_NE(line.find("waiting=2"), std::string::npos);
  EXPECT_NE(line.find("size=7"), std::string::npos);
}

}  // namespace
}  // namespace utxoiq::pg
