// See loop_lag_monitor.hpp.
#include "app/loop_lag_monitor.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cassert>
#include <charconv>
#include <cstdio>
#include <vector>

#include "obs/logging.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::app {

namespace {

using std::chrono::duration;
using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

std::vector<double> lag_buckets() {
  return {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};
}

double as_ms(nanoseconds value) {
  return duration<double, std::milli>(value).count();
}

}  // namespace

std::optional<LoopLagClock::Clock::duration> LoopLagClock::lag_at(Clock::time_point now) const {
  if (!due_) return std::nullopt;
  if (now <= *due_) return Clock::duration::zero();
  return now - *due_;
}

LoopLagMonitor::LoopLagMonitor(boost::asio::any_io_executor executor)
    : lags_(obs::default_registry()
                .histogram("utxoiq_event_loop_lag_seconds",
                           "How much later than due the event loop ran a 25 ms timer", {},
                           lag_buckets())
                .get()),
      task_(std::move(executor), "event loop lag", kInterval, [this] { return tick(); }) {}

LoopLagMonitor::~LoopLagMonitor() {
  if (schedstat_fd_ >= 0) ::close(schedstat_fd_);
}

void LoopLagMonitor::start() {
  if (schedstat_fd_ < 0)
    schedstat_fd_ = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  previous_cpu_ = read_cpu_times();
  clock_.mark_end(LoopLagClock::Clock::now());
  task_.start();
}

Task<void> LoopLagMonitor::stop() {
  co_await task_.stop();
}

// /proc/<tid>/schedstat: "<ns on cpu> <ns waiting on a run queue> <timeslices>\n".
std::optional<LoopLagMonitor::CpuTimes> LoopLagMonitor::read_cpu_times() const {
  if (schedstat_fd_ < 0) return std::nullopt;
  char text[96];
  const ssize_t size = ::pread(schedstat_fd_, text, sizeof text - 1, 0);
  if (size <= 0) return std::nullopt;
  const char* end = text + size;
  long long on_cpu = 0;
  long long waiting = 0;
  auto first = std::from_chars(text, end, on_cpu);
  if (first.ec != std::errc() || first.ptr == end || *first.ptr != ' ') return std::nullopt;
  auto second = std::from_chars(first.ptr + 1, end, waiting);
  if (second.ec != std::errc()) return std::nullopt;
  return CpuTimes{nanoseconds(on_cpu), nanoseconds(waiting)};
}

Task<void> LoopLagMonitor::tick() {
  const auto now = LoopLagClock::Clock::now();
  const auto lag = clock_.lag_at(now);
  assert(lag.has_value());  // start() marked the clock before the first tick
  lags_.observe(duration<double>(*lag).count());

  const auto cpu = read_cpu_times();
  if (*lag >= kWarnAt && now - last_warning_ >= std::chrono::seconds(1)) {
    last_warning_ = now;
    // Over the whole late interval (the due interval plus the lag): time running vs waiting.
    const bool known = cpu && previous_cpu_;
    obs::log_warn(
        "event loop held",
        {{"lag_ms", as_ms(duration_cast<nanoseconds>(*lag))},
         {"on_cpu_ms", known ? as_ms(cpu->on_cpu - previous_cpu_->on_cpu) : -1.0},
         {"waiting_for_cpu_ms", known ? as_ms(cpu->waiting - previous_cpu_->waiting) : -1.0}});
  }
  previous_cpu_ = cpu;
  clock_.mark_end(LoopLagClock::Clock::now());
  co_return;
}

}  // namespace utxoiq::app
