// The event loop lag monitor: the pure clock (a wake-up is due one interval after the previous one
// ended) and the monitor on a real io_context, where a handler that holds the loop shows as lag.
#include "app/loop_lag_monitor.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <thread>

#include "obs/metrics.hpp"
#include "support/run_task.hpp"

namespace utxoiq::app {
namespace {

using namespace std::chrono_literals;
using Clock = LoopLagClock::Clock;

TEST(LoopLagClock, KnowsNoLagBeforeItsFirstMark) {
  LoopLagClock clock{25ms};
  EXPECT_FALSE(clock.lag_at(Clock::now()).has_value());
}

TEST(LoopLagClock, AWakeUpOnTimeOrEarlyHasNoLag) {
  LoopLagClock clock{25ms};
  const auto start = Clock::time_point{} + 1s;
  clock.mark_end(start);
  EXPECT_EQ(clock.lag_at(start + 10ms), Clock::duration::zero());
  EXPECT_EQ(clock.lag_at(start + 25ms), Clock::duration::zero());
}

TEST(LoopLagClock, ALateWakeUpIsLateByWhatPassedAfterItsDueTime) {
  LoopLagClock clock{25ms};
  const auto start = Clock::time_point{} + 1s;
  clock.mark_end(start);
  EXPECT_EQ(clock.lag_at(start + 125ms), 100ms);
  // The next one is due one interval after this wake-up ended, not after the first.
  clock.mark_end(start + 130ms);
  EXPECT_EQ(clock.lag_at(start + 160ms), 5ms);
}

obs::Histogram& lag_histogram() {
  // The monitor's family; asking for it again with the same shape returns the same one.
  return obs::default_registry()
      .histogram("utxoiq_event_loop_lag_seconds",
                 "How much later than due the event loop ran a 25 ms timer", {},
                 {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0})
      .get();
}

Task<void> hold_the_loop_then_wait(boost::asio::io_context& io) {
  boost::asio::steady_timer timer{io};
  timer.expires_after(60ms);  // the monitor has ticked a few times
  co_await timer.async_wait(boost::asio::use_awaitable);
  std::this_thread::sleep_for(150ms);  // a handler that holds the loop
  timer.expires_after(60ms);           // the monitor's late tick runs
  co_await timer.async_wait(boost::asio::use_awaitable);
}

TEST(LoopLagMonitor, AHandlerHoldingTheLoopShowsAsLagOnMetrics) {
  boost::asio::io_context io;
  LoopLagMonitor monitor{io.get_executor()};
  auto& lags = lag_histogram();
  const auto count_before = lags.count();
  const double sum_before = lags.sum();

  monitor.start();
  testing::run_task(io, hold_the_loop_then_wait(io));
  testing::run_task(io, monitor.stop());

  EXPECT_GE(lags.count() - count_before, 2u);
  // The tick due during the 150 ms hold ran at least 125 ms late.
  EXPECT_GE(lags.sum() - sum_before, 0.125);
  EXPECT_NE(obs::default_registry().expose().find("utxoiq_event_loop_lag_seconds_bucket"),
            std::string::npos);
}

}  // namespace
}  // namespace utxoiq::app
