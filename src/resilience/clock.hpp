#pragma once
// The clock seen by the pure resilience and cache building blocks (circuit breaker, rate limiter,
// L1 cache). They never read the system clock themselves: they are given a `NowFn`, so production
// code passes `steady_now` and tests pass a `ManualClock`, whose time moves only when the test says
// so. That keeps every test of timing behaviour deterministic (no sleeps, no timed assertions).
//
// Monotonic time (steady_clock), not wall-clock time: durations such as "open for 30 s" or "a TTL
// of 60 s" must not jump when NTP adjusts the wall clock.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

namespace utxoiq::resilience {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using Duration = SteadyClock::duration;
using NowFn = std::function<TimePoint()>;

inline TimePoint steady_now() {
  return SteadyClock::now();
}

// A duration rounded UP to whole seconds, for Retry-After / RateLimit-Reset headers: a client
// told to wait 1 s when 1.2 s remain would be refused again. Zero or negative gives 0.
inline std::int64_t ceil_seconds(Duration d) {
  if (d <= Duration::zero()) return 0;
  return std::chrono::ceil<std::chrono::seconds>(d).count();
}

// A clock for tests: starts at a fixed point and moves only through advance()/set(). Safe to read
// from several threads (the value is atomic), so it can drive concurrency tests too.
class ManualClock {
 public:
  // Starts well after the steady clock's epoch so that `now() - some_duration` never underflows.
  explicit ManualClock(TimePoint start = TimePoint{} + std::chrono::hours(24))
      : ticks_(start.time_since_epoch().count()) {}

  TimePoint now() const { return TimePoint{Duration{ticks_.load(std::memory_order_acquire)}}; }
  void advance(Duration d) { ticks_.fetch_add(d.count(), std::memory_order_acq_rel); }
  void set(TimePoint t) { ticks_.store(t.time_since_epoch().count(), std::memory_order_release); }

  // A NowFn reading this clock; the clock must outlive whatever holds the function.
  NowFn fn() const {
    return [this] { return now(); };
  }

 private:
  std::atomic<Duration::rep> ticks_;
};

}  // namespace utxoiq::resilience
