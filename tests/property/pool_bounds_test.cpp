// Property: whatever happens to a pool (acquires, releases, broken connections, failed and
// successful opens, waiters giving up, time passing with idle cleanup, refills), the bookkeeping
// stays within bounds: size <= max, the counts match the connections that really exist, a
// connection is never idle while someone waits, and after a refill the pool is back at min_size.
//
// The test drives PoolAccounting exactly as Pool does and keeps its own record of what exists
// (idle connections with their idle-since time, leases, opens in flight, waiters).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <vector>

#include "pg/internal/pool_accounting.hpp"

namespace utxoiq::pg {
namespace {

using Clock = PoolAccounting::Clock;
using std::chrono::seconds;

enum class Op {
  kAcquire,
  kRelease,
  kReleaseBroken,
  kOpenSucceeds,
  kOpenFails,
  kWaiterGivesUp,
  kIdleConnectionDies,
  kStaleAtHandout,
  kClockAdvance,
  kRefill,
};

struct World {
  PoolAccounting accounting;
  std::vector<Clock::time_point> idle_since{};  // back = most recently returned
  std::size_t leases = 0;
  std::size_t opens = 0;
  std::size_t waiters = 0;
  Clock::time_point now = Clock::time_point{} + seconds{1'000'000};
  Clock::duration idle_timeout = seconds{300};

  void planned_opens() {
    opens += accounting.plan_opens();
    // Every waiter is covered by an open in flight unless the pool is full.
    RC_ASSERT(accounting.waiting() <= accounting.opening() ||
              accounting.size() == accounting.max_size());
    RC_ASSERT(accounting.size() >= accounting.min_size());
  }

  void check() const {
    RC_ASSERT(accounting.size() <= accounting.max_size());
    RC_ASSERT(accounting.invariants_hold());
    RC_ASSERT(accounting.idle() == idle_since.size());
    RC_ASSERT(accounting.active() == leases);
    RC_ASSERT(accounting.opening() == opens);
    RC_ASSERT(accounting.waiting() == waiters);
    RC_ASSERT(accounting.size() == idle_since.size() + leases + opens);
    RC_ASSERT(accounting.active() <= accounting.size());
    if (waiters > 0) RC_ASSERT(idle_since.empty());
  }

  void apply(Op op, std::size_t pick) {
    switch (op) {
      case Op::kAcquire:
        if (accounting.try_take_idle()) {
          RC_ASSERT(!idle_since.empty());
          idle_since.pop_back();
          ++leases;
        } else {
          accounting.add_waiter();
          ++waiters;
          planned_opens();
        }
        break;
      case Op::kRelease:
      case Op::kReleaseBroken:
        if (leases == 0) break;
        switch (accounting.release(op == Op::kRelease)) {
          case PoolAccounting::Release::kToWaiter:
            RC_ASSERT(op == Op::kRelease);
            RC_ASSERT(waiters > 0);
            --waiters;  // the lease moves to the waiter
            break;
          case PoolAccounting::Release::kToIdle:
            RC_ASSERT(op == Op::kRelease);
            --leases;
            idle_since.push_back(now);
            break;
          case PoolAccounting::Release::kDropped:
            RC_ASSERT(op == Op::kReleaseBroken);
            --leases;
            planned_opens();
            break;
        }
        break;
      case Op::kOpenSucceeds:
        if (opens == 0) break;
        --opens;
        if (accounting.open_succeeded() == PoolAccounting::Placement::kToWaiter) {
          RC_ASSERT(waiters > 0);
          --waiters;
          ++leases;
        } else {
          RC_ASSERT(waiters == 0);
          idle_since.push_back(now);
        }
        break;
      case Op::kOpenFails:
        if (opens == 0) break;
        --opens;
        accounting.open_failed();
        break;
      case Op::kWaiterGivesUp:
        if (waiters == 0) break;
        --waiters;
        accounting.remove_waiter();
        break;
      case Op::kIdleConnectionDies:
        if (idle_since.empty()) break;
        idle_since.erase(idle_since.begin() +
                         static_cast<std::ptrdiff_t>(pick % idle_since.size()));
        accounting.drop_idle();
        break;
      case Op::kStaleAtHandout:
        if (!accounting.try_take_idle()) break;
        idle_since.pop_back();
        accounting.drop_taken();
        break;
      case Op::kClockAdvance: {
        now += seconds{static_cast<long>(pick % 400)};
        const std::size_t open_before = idle_since.size() + leases;
        auto doomed = accounting.idle_to_close(idle_since, now, idle_timeout);
        std::sort(doomed.begin(), doomed.end(), std::greater<>());
        for (const auto index : doomed)
          idle_since.erase(idle_since.begin() + static_cast<std::ptrdiff_t>(index));
        accounting.drop_idle(doomed.size());
        // Cleanup never takes the open connections below min (unless they were already).
        if (!doomed.empty()) RC_ASSERT(idle_since.size() + leases >= accounting.min_size());
        RC_ASSERT(idle_since.size() + leases <= open_before);
        break;
      }
      case Op::kRefill:
        planned_opens();
        break;
    }
  }
};

RC_GTEST_PROP(PoolBounds, HoldUnderRandomEvents, ()) {
  const auto max_size = *rc::gen::inRange<std::size_t>(1, 13);
  const auto min_size = *rc::gen::inRange<std::size_t>(0, max_size + 1);
  World world{PoolAccounting(min_size, max_size)};
  world.planned_opens();  // start()
  world.check();

  const auto ops = *rc::gen::container<std::vector<std::pair<Op, std::size_t>>>(rc::gen::pair(
      rc::gen::element(Op::kAcquire, Op::kRelease, Op::kReleaseBroken, Op::kOpenSucceeds,
                       Op::kOpenFails, Op::kWaiterGivesUp, Op::kIdleConnectionDies,
                       Op::kStaleAtHandout, Op::kClockAdvance, Op::kRefill),
      rc::gen::inRange<std::size_t>(0, 1000)));
  for (const auto& [op, pick] : ops) {
    world.apply(op, pick);
    world.check();
  }
}

RC_GTEST_PROP(PoolBounds, EveryWaiterIsServedOnceOpensSucceed, ()) {
  // However many acquirers pile up, completing the planned opens and returning leases serves
  // them all, and the pool never grows past max_size doing it.
  const auto max_size = *rc::gen::inRange<std::size_t>(1, 10);
  const auto min_size = *rc::gen::inRange<std::size_t>(0, max_size + 1);
  const auto acquirers = *rc::gen::inRange<std::size_t>(0, 40);
  World world{PoolAccounting(min_size, max_size)};
  world.planned_opens();
  for (std::size_t i = 0; i < acquirers; ++i) world.apply(Op::kAcquire, 0);
  world.check();
  std::size_t served = world.leases;
  // Drain: finish opens, then have every lease holder release once.
  for (std::size_t round = 0; round < acquirers + max_size + 1 && world.waiters > 0; ++round) {
    while (world.opens > 0) {
      const auto waiting_before = world.waiters;
      world.apply(Op::kOpenSucceeds, 0);
      if (world.waiters < waiting_before) ++served;
      world.check();
    }
    const auto waiting_before = world.waiters;
    world.apply(Op::kRelease, 0);
    if (world.waiters < waiting_before) ++served;
    world.check();
  }
  RC_ASSERT(world.waiters == 0u);
  RC_ASSERT(world.accounting.size() <= max_size);
  RC_ASSERT(served == acquirers);  // everyone got a connection, exactly once
}

}  // namespace
}  // namespace utxoiq::pg
