// Seed 003 health and replication properties over pg/host_health and pg/replica_lag:
//  - Property 8, health check frequency: driven by a clock that ticks at random, checks are never
//    further apart than the interval plus one tick, and after a connection error the next tick
//    checks;
//  - Property 7, unhealthy removal: a replica that failed its last check, whose breaker refuses
//    calls, or whose lag is over the limit is never routed a read; after a passing check within
//    the limit it is routed again;
//  - Property 23, lag alerts: a state change (and so the log line and webhook alert) is reported
//    exactly once per change, and "lagging" is reported exactly when the lag goes over the limit;
//  - lag measurement: 0 when everything is replayed and nothing newer exists, the bytes are the
//    distance to the furthest known position, the seconds never exceed either upper bound.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>

#include "pg/host_health.hpp"
#include "pg/host_router.hpp"
#include "pg/replica_lag.hpp"
#include "support/replica_generators.hpp"

namespace utxoiq::pg {
namespace {

using std::chrono::milliseconds;
using Steady = CheckSchedule::Clock;

RC_GTEST_PROP(ReplicaHealth, ChecksAreNeverFurtherApartThanTheInterval, ()) {
  const milliseconds interval{*rc::gen::inRange(1000, 20'000)};
  const milliseconds tick{*rc::gen::inRange(1, 500)};
  const auto errors = *rc::gen::container<std::vector<bool>>(
      *rc::gen::inRange<std::size_t>(50, 400),
      rc::gen::weightedElement<bool>({{19, false}, {1, true}}));
  CheckSchedule schedule{interval};
  Steady::time_point now{};
  std::optional<Steady::time_point> last_check;
  bool error_pending = false;
  for (bool connection_error : errors) {
    now += tick;
    if (schedule.due(now)) {
      if (last_check) RC_ASSERT(now - *last_check <= interval + tick);
      schedule.checked(now);
      last_check = now;
      error_pending = false;
    } else {
      RC_ASSERT(!error_pending);  // an error makes the very next tick check
      RC_ASSERT(!last_check || now - *last_check < interval);
    }
    if (connection_error) {
      schedule.connection_failed(now);
      error_pending = true;
    }
  }
}

RC_GTEST_PROP(ReplicaHealth, UnhealthyReplicasLeaveAndComeBack, ()) {
  ReplicaHealthInput input;
  input.check_passed = *rc::gen::arbitrary<bool>();
  input.breaker_allows = *rc::gen::arbitrary<bool>();
  input.lag = *testing::gen_lag();
  const auto state = classify_replica(input);
  ReplicaView view;
  view.state = state;
  view.lag = input.lag;
  view.replay_lsn = Lsn{1000};
  const StatementRequest read{};
  const bool healthy = input.check_passed && input.breaker_allows && input.lag.seconds <= 5.0;
  RC_ASSERT((state == HostState::up) == healthy);
  RC_ASSERT(replica_serves(view, read, RouterLimits{}) == healthy);
  // A passing check within the limit puts it back.
  input.check_passed = input.breaker_allows = true;
  input.lag.seconds = *rc::gen::inRange(0, 501) / 100.0;
  view.state = classify_replica(input);
  view.lag = input.lag;
  RC_ASSERT(view.state == HostState::up);
  const std::vector<ReplicaView> only{view};
  RC_ASSERT(route_statement(read, only, RouterLimits{}, 0.3).replica ==
            std::optional<std::size_t>{0});
}

RC_GTEST_PROP(ReplicaHealth, EveryStateChangeIsReportedOnceAndLagAlertsAtTheLimit, ()) {
  const auto steps = *rc::gen::container<std::vector<std::tuple<bool, ReplicaLag>>>(
      rc::gen::tuple(rc::gen::weightedElement<bool>({{4, true}, {1, false}}), testing::gen_lag()));
  HostStateTracker tracker{HostState::up};
  HostState previous = HostState::up;
  for (const auto& [passed, lag] : steps) {
    const auto next = classify_replica({passed, true, lag, 5.0});
    RC_ASSERT((next == HostState::lagging) == (passed && !(lag.seconds <= 5.0)));
    const auto transition = tracker.update(next);
    RC_ASSERT(transition.has_value() == (next != previous));
    if (transition) {
      RC_ASSERT(transition->from == previous);
      RC_ASSERT(transition->to == next);
    }
    RC_ASSERT(!tracker.update(next).has_value());  // the same state again: no second alert
    previous = next;
  }
}

RC_GTEST_PROP(ReplicaHealth, LagIsZeroWhenCaughtUpAndBoundedOtherwise, ()) {
  LagTracker tracker;
  WallClock::time_point now{std::chrono::seconds{1'700'000'000}};
  std::uint64_t primary = 1000;
  std::uint64_t replayed = 1000;
  std::optional<WallClock::time_point> last_commit_replayed;
  const auto steps = *rc::gen::container<std::vector<std::tuple<int, int, int>>>(rc::gen::tuple(
      rc::gen::inRange(0, 3000), rc::gen::inRange(0, 200), rc::gen::inRange(0, 200)));
  for (const auto& [elapsed_ms, written, replay] : steps) {
    now += milliseconds{elapsed_ms};
    primary += static_cast<std::uint64_t>(written);
    const auto received = std::min(primary, replayed + static_cast<std::uint64_t>(replay) * 2);
    if (replay > 0 && replayed < received) {
      replayed = std::min(received, replayed + static_cast<std::uint64_t>(replay));
      last_commit_replayed = now - milliseconds{elapsed_ms / 2};
    }
    const LagSample sample{now,           Lsn{primary},         Lsn{received},
                           Lsn{replayed}, last_commit_replayed, now + milliseconds{1}};
    const auto previous_caught_up = tracker.caught_up_at();
    const auto lag = tracker.observe(sample);
    RC_ASSERT(lag.bytes == primary - replayed);
    if (replayed == primary) {
      RC_ASSERT(lag.seconds == 0.0);
      RC_ASSERT(tracker.caught_up_at() == std::optional{now});
    } else if (last_commit_replayed || previous_caught_up) {
      RC_ASSERT(std::isfinite(lag.seconds));
      const auto bound = [&](WallClock::time_point from) {
        return std::chrono::duration<double>(sample.replica_read_at - from).count();
      };
      if (last_commit_replayed) RC_ASSERT(lag.seconds <= bound(*last_commit_replayed) + 1e-9);
      if (previous_caught_up) RC_ASSERT(lag.seconds <= bound(*previous_caught_up) + 1e-9);
    } else {
      RC_ASSERT(std::isinf(lag.seconds));
    }
  }
}

TEST(ReplicaLag, IdlePrimaryWithOldReplayTimestampHasNoLag) {
  LagTracker tracker;
  const WallClock::time_point now{std::chrono::seconds{1'700'000'000}};
  const auto lag =
      tracker.observe({now, Lsn{500}, Lsn{500}, Lsn{500}, now - std::chrono::hours{3}, now});
  EXPECT_EQ(lag.seconds, 0.0);
  EXPECT_EQ(lag.bytes, 0u);
}

TEST(ReplicaLag, PausedReplayCountsReceivedButNotReplayedBytes) {
  LagTracker tracker;
  const WallClock::time_point now{std::chrono::seconds{1'700'000'000}};
  tracker.observe({now, Lsn{500}, Lsn{500}, Lsn{500}, std::nullopt, now});
  const auto lag = tracker.observe({now + std::chrono::seconds{7}, Lsn{800}, Lsn{900}, Lsn{500},
                                    std::nullopt, now + std::chrono::seconds{7}});
  EXPECT_EQ(lag.bytes, 400u);
  EXPECT_DOUBLE_EQ(lag.seconds, 7.0);
}

TEST(Lsn, ParsesAndFormatsPostgresText) {
  const auto lsn = parse_lsn("16/B374D848");
  ASSERT_TRUE(lsn.has_value());
  EXPECT_EQ(lsn->value, (0x16ull << 32) | 0xB374D848ull);
  EXPECT_EQ(format_lsn(*lsn), "16/B374D848");
  EXPECT_FALSE(parse_lsn("").has_value());
  EXPECT_FALSE(parse_lsn("16B374D848").has_value());
  EXPECT_FALSE(parse_lsn("1/G").has_value());
  EXPECT_FALSE(parse_lsn("1/123456789").has_value());
}

}  // namespace
}  // namespace utxoiq::pg
