// Property: idle cleanup closes exactly the idle connections idle strictly longer than the
// timeout, oldest first, except that it stops where closing more would take the open
// connections (idle + leased) below min_size.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "pg/internal/pool_accounting.hpp"

namespace utxoiq::pg {
namespace {

using Clock = PoolAccounting::Clock;
using std::chrono::seconds;

// A pool with `leased` active and `idle` idle connections, built through the public operations.
PoolAccounting pool_with(std::size_t min_size, std::size_t max_size, std::size_t leased,
                         std::size_t idle) {
  PoolAccounting pool(min_size, max_size);
  for (std::size_t i = 0; i < leased + idle; ++i) pool.add_waiter();
  const std::size_t opened = pool.plan_opens();
  RC_ASSERT(opened == leased + idle);
  for (std::size_t i = 0; i < opened; ++i) pool.open_succeeded();
  for (std::size_t i = 0; i < idle; ++i) pool.release(true);
  RC_ASSERT(pool.active() == leased);
  RC_ASSERT(pool.idle() == idle);
  return pool;
}

RC_GTEST_PROP(PoolIdleCleanup, ClosesExactlyTheOldestExpiredAboveMin, ()) {
  const auto max_size = *rc::gen::inRange<std::size_t>(1, 21);
  const auto min_size = *rc::gen::inRange<std::size_t>(0, max_size + 1);
  const auto total = *rc::gen::inRange<std::size_t>(min_size, max_size + 1);
  const auto leased = *rc::gen::inRange<std::size_t>(0, total + 1);
  const auto idle = total - leased;
  const auto timeout = seconds{*rc::gen::inRange<long>(1, 600)};
  // Idle ages around the timeout, duplicates included.
  const auto ages = *rc::gen::container<std::vector<long>>(idle, rc::gen::inRange<long>(0, 1200));

  const PoolAccounting pool = pool_with(min_size, max_size, leased, idle);
  const auto now = Clock::time_point{} + seconds{10'000};
  std::vector<Clock::time_point> since;
  for (const long age : ages) since.push_back(now - seconds{age});

  const auto closed = pool.idle_to_close(since, now, timeout);

  std::vector<std::size_t> expired;
  for (std::size_t i = 0; i < since.size(); ++i)
    if (now - since[i] > timeout) expired.push_back(i);
  const std::size_t closable = leased + idle - min_size;

  // How many: every expired one, unless that would go below min.
  RC_ASSERT(closed.size() == std::min(expired.size(), closable));
  // Which: only expired ones, each once, oldest first.
  const std::set<std::size_t> unique(closed.begin(), closed.end());
  RC_ASSERT(unique.size() == closed.size());
  for (const auto index : closed) {
    RC_ASSERT(index < since.size());
    RC_ASSERT(now - since[index] > timeout);
  }
  for (std::size_t i = 1; i < closed.size(); ++i)
    RC_ASSERT(since[closed[i - 1]] <= since[closed[i]]);
  // An expired connection left open is not older than any that was closed.
  for (const auto kept : expired) {
    if (unique.count(kept)) continue;
    for (const auto index : closed) RC_ASSERT(since[index] <= since[kept]);
  }
  // Never below min.
  RC_ASSERT(leased + idle - closed.size() >= min_size);
}

RC_GTEST_PROP(PoolIdleCleanup, NothingExpiredNothingClosed, ()) {
  const auto max_size = *rc::gen::inRange<std::size_t>(1, 21);
  const auto idle = *rc::gen::inRange<std::size_t>(0, max_size + 1);
  const PoolAccounting pool = pool_with(0, max_size, 0, idle);
  const auto timeout = seconds{*rc::gen::inRange<long>(1, 600)};
  const auto now = Clock::time_point{} + seconds{10'000};
  std::vector<Clock::time_point> since;
  for (std::size_t i = 0; i < idle; ++i)
    since.push_back(now - seconds{*rc::gen::inRange<long>(0, timeout.count() + 1)});
  RC_ASSERT(pool.idle_to_close(since, now, timeout).empty());
}

}  // namespace
}  // namespace utxoiq::pg
