// Worked examples of the pool's bookkeeping decisions (the properties are in tests/property).
#include <gtest/gtest.h>

#include <stdexcept>

#include "pg/internal/pool_accounting.hpp"

namespace utxoiq::pg {
namespace {

using Clock = PoolAccounting::Clock;
using std::chrono::seconds;

TEST(PgPoolAccounting, RejectsImpossibleSizes) {
  EXPECT_THROW(PoolAccounting(0, 0), std::invalid_argument);
  EXPECT_THROW(PoolAccounting(6, 5), std::invalid_argument);
  EXPECT_NO_THROW(PoolAccounting(0, 1));
}

TEST(PgPoolAccounting, StartOpensMinSize) {
  PoolAccounting pool(5, 20);
  EXPECT_EQ(pool.plan_opens(), 5u);
  EXPECT_EQ(pool.opening(), 5u);
  EXPECT_EQ(pool.plan_opens(), 0u);  // already on their way
  for (int i = 0; i < 5; ++i) EXPECT_EQ(pool.open_succeeded(), PoolAccounting::Placement::kToIdle);
  EXPECT_EQ(pool.idle(), 5u);
  EXPECT_EQ(pool.size(), 5u);
}

TEST(PgPoolAccounting, GrowsForWaitersUpToMax) {
  PoolAccounting pool(1, 3);
  pool.plan_opens();
  pool.open_succeeded();
  ASSERT_TRUE(pool.try_take_idle());
  for (int i = 0; i < 4; ++i) pool.add_waiter();
  EXPECT_EQ(pool.plan_opens(), 2u);  // 4 waiters, but only room for 2 more
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(pool.open_succeeded(), PoolAccounting::Placement::kToWaiter);
  EXPECT_EQ(pool.waiting(), 3u);
  EXPECT_EQ(pool.active(), 2u);
  EXPECT_EQ(pool.plan_opens(), 0u);  // at max
}

TEST(PgPoolAccounting, ReleaseGoesToTheWaiterFirst) {
  PoolAccounting pool(0, 1);
  pool.plan_opens();  // nothing to open with min 0
  pool.add_waiter();
  ASSERT_EQ(pool.plan_opens(), 1u);
  ASSERT_EQ(pool.open_succeeded(), PoolAccounting::Placement::kToWaiter);
  pool.add_waiter();
  EXPECT_FALSE(pool.try_take_idle());
  EXPECT_EQ(pool.release(true), PoolAccounting::Release::kToWaiter);
  EXPECT_EQ(pool.active(), 1u);
  EXPECT_EQ(pool.release(true), PoolAccounting::Release::kToIdle);
  EXPECT_EQ(pool.idle(), 1u);
  EXPECT_EQ(pool.active(), 0u);
}

TEST(PgPoolAccounting, NobodyWaitsWhileAConnectionIsIdle) {
  PoolAccounting pool(1, 2);
  pool.plan_opens();
  pool.open_succeeded();
  EXPECT_THROW(pool.add_waiter(), std::logic_error);  // try_take_idle() first
  EXPECT_EQ(pool.waiting(), 0u);
  EXPECT_TRUE(pool.invariants_hold());
}

TEST(PgPoolAccounting, BrokenReleaseIsDroppedAndReplacedForMin) {
  PoolAccounting pool(2, 4);
  pool.plan_opens();
  pool.open_succeeded();
  pool.open_succeeded();
  ASSERT_TRUE(pool.try_take_idle());
  EXPECT_EQ(pool.release(false), PoolAccounting::Release::kDropped);
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool.plan_opens(), 1u);
}

TEST(PgPoolAccounting, IdleCleanupTakesOldestExpiredAndKeepsMin) {
  PoolAccounting pool(2, 10);
  pool.plan_opens();
  pool.open_succeeded();
  pool.open_succeeded();
  ASSERT_TRUE(pool.try_take_idle());
  ASSERT_TRUE(pool.try_take_idle());
  for (int i = 0; i < 3; ++i) {
    pool.add_waiter();
    pool.plan_opens();
    pool.open_succeeded();  // straight to the waiter
  }
  for (int i = 0; i < 5; ++i) pool.release(true);
  ASSERT_EQ(pool.idle(), 5u);
  const auto now = Clock::now();
  // Indexes 0..4 idle since: 400 s, 100 s, 500 s, 301 s, 300 s ago (timeout 300 s).
  const std::vector<Clock::time_point> since{now - seconds{400}, now - seconds{100},
                                             now - seconds{500}, now - seconds{301},
                                             now - seconds{300}};
  EXPECT_EQ(pool.idle_to_close(since, now, seconds{300}), (std::vector<std::size_t>{2, 0, 3}));
  // With three connections leased elsewhere nothing would go below min either.
  PoolAccounting small(4, 10);
  small.plan_opens();
  for (int i = 0; i < 4; ++i) small.open_succeeded();
  const std::vector<Clock::time_point> old(4, now - seconds{1000});
  EXPECT_TRUE(small.idle_to_close(old, now, seconds{300}).empty());
}

TEST(PgPoolAccounting, MisuseIsALogicError) {
  PoolAccounting pool(0, 1);
  EXPECT_THROW(pool.release(true), std::logic_error);
  EXPECT_THROW(pool.open_succeeded(), std::logic_error);
  EXPECT_THROW(pool.remove_waiter(), std::logic_error);
  EXPECT_THROW(pool.drop_idle(), std::logic_error);
}

}  // namespace
}  // namespace utxoiq::pg
