#pragma once
// How late the event loop runs what is due: a timer asks to wake every 25 ms and measures how much
// later than that it woke. Every request's latency includes this lag, so it is the figure to read
// first when p99 rises: `utxoiq_event_loop_lag_seconds` (a histogram, 1 ms to 1 s) on /metrics,
// and a warn line "event loop held" when one wake-up came 100 ms or more late (at most one line a
// second). The line says where the time went, from the loop thread's own scheduler accounting
// (/proc/thread-self/schedstat): `on_cpu_ms` is time the loop spent running (our code held it),
// `waiting_for_cpu_ms` time it was runnable but another process had the core (a busy machine).
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <optional>

#include "app/periodic_task.hpp"
#include "util/task.hpp"

namespace utxoiq::obs {
class Histogram;
}

namespace utxoiq::app {

// Pure: the lag of each wake-up. A wake-up is due one interval after the previous one ended.
class LoopLagClock {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LoopLagClock(std::chrono::milliseconds interval) : interval_(interval) {}

  // The previous wake-up ended (or the clock started) at `at`.
  void mark_end(Clock::time_point at) { due_ = at + interval_; }
  // How late a wake-up at `now` is; zero when early, nothing before the first mark_end.
  std::optional<Clock::duration> lag_at(Clock::time_point now) const;

 private:
  std::chrono::milliseconds interval_;
  std::optional<Clock::time_point> due_;
};

class LoopLagMonitor {
 public:
  static constexpr std::chrono::milliseconds kInterval{25};
  static constexpr std::chrono::milliseconds kWarnAt{100};

  explicit LoopLagMonitor(boost::asio::any_io_executor executor);
  ~LoopLagMonitor();
  LoopLagMonitor(const LoopLagMonitor&) = delete;
  LoopLagMonitor& operator=(const LoopLagMonitor&) = delete;

  // On the loop's thread: the schedstat read is of the thread that calls start().
  void start();
  Task<void> stop();

 private:
  // The loop thread's cumulative time on a CPU and waiting for one; nothing when unreadable.
  struct CpuTimes {
    std::chrono::nanoseconds on_cpu{0};
    std::chrono::nanoseconds waiting{0};
  };
  std::optional<CpuTimes> read_cpu_times() const;
  Task<void> tick();

  LoopLagClock clock_{kInterval};
  obs::Histogram& lags_;
  int schedstat_fd_ = -1;
  std::optional<CpuTimes> previous_cpu_;
  LoopLagClock::Clock::time_point last_warning_{};
  PeriodicTask task_;
};

}  // namespace utxoiq::app
