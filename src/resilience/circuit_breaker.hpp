#pragma once
// Circuit breaker for one dependency (a PostgreSQL host, Redis): stops sending calls to a
// dependency that is failing, so requests fail fast (503 + Retry-After) instead of piling up on
// timeouts, and lets a few probe calls through now and then to notice when it is back.
//
//   closed    --(failure rate >= threshold over the rolling window, with >= minimum_calls)--> open
//   open      --(open duration elapsed)--> half_open
//   half_open --(all probes succeed)--> closed (window emptied, open duration back to its base)
//   half_open --(any probe fails)--> open, for longer: base * multiplier^k, capped
//
// Our own code rather than a library: there is no maintained C++ circuit breaker in Debian, and
// this one must run on an injected clock so that its timing is tested deterministically. Pure: no
// I/O, no threads of its own; time moves only when the injected clock says so. Thread-safe (one
// mutex, held for a few dozen instructions per call).
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>
#include <vector>

#include "resilience/clock.hpp"

namespace utxoiq::resilience {

enum class BreakerState { closed, open, half_open };

// "closed", "open", "half_open" (for logs and metric labels).
std::string_view to_string(BreakerState state);

struct CircuitBreakerOptions {
  // Rolling window over which the failure rate is measured, kept as buckets of bucket_width
  // (window / bucket_width buckets, rounded up): a call leaves the window when its bucket does, so
  // the window covers between window - bucket_width and window of history.
  Duration window = std::chrono::seconds(60);
  Duration bucket_width = std::chrono::seconds(1);
  // Opens when failures / calls >= failure_rate_threshold and calls >= minimum_calls. In (0, 1].
  double failure_rate_threshold = 0.5;
  std::uint32_t minimum_calls = 20;
  // How long the first opening lasts; each failed half-open trial multiplies it by
  // open_backoff_multiplier (>= 1), up to max_open_duration. A close resets it to the base.
  Duration open_duration = std::chrono::seconds(30);
  double open_backoff_multiplier = 2.0;
  Duration max_open_duration = std::chrono::minutes(5);
  // Calls let through in half-open; all of them must succeed to close (>= 1).
  std::uint32_t half_open_probes = 3;
  // Called after every state change, outside the breaker's lock (so it may call the breaker), on
  // the thread whose call caused the change. For logs and metrics; may be empty.
  std::function<void(BreakerState from, BreakerState to)> on_transition;
};

// Monotonic counters, for metrics.
struct CircuitBreakerCounters {
  std::uint64_t opened = 0;       // transitions into open (from closed or half_open)
  std::uint64_t half_opened = 0;  // transitions open -> half_open
  std::uint64_t closed = 0;       // transitions half_open -> closed
  std::uint64_t rejected = 0;     // calls refused (open, or half_open with every probe taken)
  std::uint64_t successes = 0;    // outcomes counted (closed window or half-open probes)
  std::uint64_t failures = 0;
  std::uint64_t ignored = 0;  // outcomes of calls admitted before the last state change
};

// Calls and failures currently in the rolling window (closed state; empty in the other states).
struct BreakerWindow {
  std::uint64_t calls = 0;
  std::uint64_t failures = 0;
};

class CircuitBreaker {
 public:
  // The right to make one call. Report its outcome with success() or failure(); a granted permit
  // destroyed without an outcome (e.g. the request was cancelled) is released: it counts neither
  // way, and in half_open it gives its probe slot back, so a lost probe never wedges the breaker.
  // Outcomes of permits granted before the breaker last changed state are ignored: a slow call
  // started while closed says nothing about the dependency's health after a probe trial. The
  // breaker must outlive its permits. Move-only.
  class Permit {
   public:
    Permit() = default;
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();

    bool granted() const noexcept { return breaker_ != nullptr; }
    explicit operator bool() const noexcept { return granted(); }
    // Report the outcome; no-ops when not granted or already reported.
    void success();
    void failure();

   private:
    friend class CircuitBreaker;
    Permit(CircuitBreaker* breaker, std::uint64_t epoch) : breaker_(breaker), epoch_(epoch) {}
    void reset() noexcept;

    CircuitBreaker* breaker_ = nullptr;
    std::uint64_t epoch_ = 0;
  };

  // Throws std::invalid_argument for options out of range (zero widths, threshold outside (0, 1],
  // zero probes, multiplier < 1, max_open_duration < open_duration).
  explicit CircuitBreaker(CircuitBreakerOptions options = {}, NowFn now = steady_now);
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // Preferred form: a permit that carries which state it was granted in.
  [[nodiscard]] Permit try_acquire();

  // Untracked form, for callers that cannot keep a permit: allow() takes a slot like try_acquire()
  // and record_*() reports an outcome against the CURRENT state (ignored while open; in half_open,
  // counted as a probe outcome only while a probe is outstanding).
  bool allow();
  void record_success();
  void record_failure();

  // Closed, with an empty window, whatever the state: for when the protected resource was
  // replaced (the pool now connects to another host after a failover), so the old one's failures
  // say nothing about it. Outcomes of calls admitted before are ignored.
  void reset();

  // The current state (an open breaker whose time is up becomes half_open here).
  BreakerState state();
  // Whole seconds until a call may be admitted: 0 when one would be now; while open, the time left
  // rounded up (>= 1); in half_open with every probe out, 1 (the answer depends on the probes).
  std::chrono::seconds retry_after();
  // How long the next opening will last (the base, or longer after failed half-open trials).
  Duration next_open_duration() const;

  CircuitBreakerCounters counters() const;
  BreakerWindow window();
  const CircuitBreakerOptions& options() const { return options_; }

 private:
  enum class Outcome { success, failure };
  struct Bucket {
    std::int64_t index = 0;  // which bucket_width-long slice of time this slot holds
    std::uint32_t successes = 0;
    std::uint32_t failures = 0;
  };
  // State changes made under the lock, reported to on_transition after it is released.
  struct Transitions {
    std::array<std::pair<BreakerState, BreakerState>, 4> items{};
    std::size_t size = 0;
  };

  TimePoint now_locked();
  void advance_locked(TimePoint now, Transitions& log);
  bool acquire_locked(TimePoint now, Transitions& log);
  void report_locked(TimePoint now, Outcome outcome, Transitions& log);
  void transition_locked(BreakerState to, TimePoint now, Transitions& log);
  // Asserts the invariants listed at the top of circuit_breaker.cpp (no-op under NDEBUG).
  void check_invariants_locked() const;
  Duration open_duration_for(std::uint32_t level) const;
  std::int64_t bucket_index(TimePoint now);
  void window_add(TimePoint now, Outcome outcome);
  BreakerWindow window_totals(TimePoint now);
  void window_clear();
  void notify(const Transitions& log) const;

  // record_success/record_failure: an outcome reported without a permit's epoch.
  void record_unguarded(Outcome outcome);
  void report(std::uint64_t epoch, Outcome outcome);
  void release(std::uint64_t epoch);
  Permit acquire_permit();

  const CircuitBreakerOptions options_;
  const NowFn now_;
  mutable std::mutex mutex_;
  TimePoint origin_;
  TimePoint last_now_;
  BreakerState state_ = BreakerState::closed;
  std::uint64_t epoch_ = 0;  // bumped on every state change
  std::vector<Bucket> buckets_;
  TimePoint opened_at_{};
  TimePoint open_until_{};
  std::uint32_t open_level_ = 0;  // failed half-open trials since the last close
  std::uint32_t probes_in_flight_ = 0;
  std::uint32_t probe_successes_ = 0;
  CircuitBreakerCounters counters_;
};

}  // namespace utxoiq::resilience
