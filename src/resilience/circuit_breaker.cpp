// Circuit breaker state machine; see circuit_breaker.hpp for the rules.
//
// Invariants, checked by check_invariants_locked() after every change under the lock:
//   closed:    no probe is out or counted (probes_in_flight_ == probe_successes_ == 0);
//   open:      no probe either, the window is empty, and the opening lasts between
//              open_duration and max_open_duration (open_until_ - opened_at_);
//   half_open: probes_in_flight_ + probe_successes_ <= half_open_probes, the window is empty.
#include "resilience/circuit_breaker.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace utxoiq::resilience {
namespace {

constexpr std::int64_t kEmptyBucket = std::numeric_limits<std::int64_t>::min();

void validate(const CircuitBreakerOptions& o) {
  if (o.window <= Duration::zero() || o.bucket_width <= Duration::zero()) {
    throw std::invalid_argument("circuit breaker: window and bucket_width must be positive");
  }
  if (!(o.failure_rate_threshold > 0.0 && o.failure_rate_threshold <= 1.0)) {
    throw std::invalid_argument("circuit breaker: failure_rate_threshold must be in (0, 1]");
  }
  if (o.half_open_probes == 0) {
    throw std::invalid_argument("circuit breaker: half_open_probes must be at least 1");
  }
  if (o.open_duration <= Duration::zero() || o.max_open_duration < o.open_duration) {
    throw std::invalid_argument(
        "circuit breaker: open_duration must be positive and <= max_open_duration");
  }
  if (!(o.open_backoff_multiplier >= 1.0)) {
    throw std::invalid_argument("circuit breaker: open_backoff_multiplier must be >= 1");
  }
}

}  // namespace

std::string_view to_string(BreakerState state) {
  switch (state) {
    case BreakerState::closed:
      return "closed";
    case BreakerState::open:
      return "open";
    case BreakerState::half_open:
      return "half_open";
  }
  return "unknown";
}

// ---- Permit ----

CircuitBreaker::Permit::Permit(Permit&& other) noexcept
    : breaker_(std::exchange(other.breaker_, nullptr)), epoch_(other.epoch_) {}

CircuitBreaker::Permit& CircuitBreaker::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    reset();
    breaker_ = std::exchange(other.breaker_, nullptr);
    epoch_ = other.epoch_;
  }
  return *this;
}

CircuitBreaker::Permit::~Permit() {
  reset();
}

void CircuitBreaker::Permit::reset() noexcept {
  if (breaker_ != nullptr) std::exchange(breaker_, nullptr)->release(epoch_);
}

void CircuitBreaker::Permit::success() {
  if (breaker_ != nullptr) std::exchange(breaker_, nullptr)->report(epoch_, Outcome::success);
}

void CircuitBreaker::Permit::failure() {
  if (breaker_ != nullptr) std::exchange(breaker_, nullptr)->report(epoch_, Outcome::failure);
}

// ---- CircuitBreaker ----

CircuitBreaker::CircuitBreaker(CircuitBreakerOptions options, NowFn now)
    : options_(std::move(options)), now_(std::move(now)) {
  validate(options_);
  if (!now_) throw std::invalid_argument("circuit breaker: clock function is empty");
  origin_ = now_();
  last_now_ = origin_;
  const auto count =
      (options_.window + options_.bucket_width - Duration(1)) / options_.bucket_width;
  buckets_.assign(static_cast<std::size_t>(count), Bucket{kEmptyBucket, 0, 0});
}

CircuitBreaker::Permit CircuitBreaker::try_acquire() {
  return acquire_permit();
}

CircuitBreaker::Permit CircuitBreaker::acquire_permit() {
  Transitions log;
  Permit permit;
  {
    std::lock_guard lock(mutex_);
    const TimePoint now = now_locked();
    if (acquire_locked(now, log)) permit = Permit(this, epoch_);
  }
  notify(log);
  return permit;
}

bool CircuitBreaker::allow() {
  Transitions log;
  bool granted = false;
  {
    std::lock_guard lock(mutex_);
    granted = acquire_locked(now_locked(), log);
  }
  notify(log);
  return granted;
}

void CircuitBreaker::reset() {
  Transitions log;
  {
    std::lock_guard lock(mutex_);
    const TimePoint now = now_locked();
    if (state_ == BreakerState::closed) {
      ++epoch_;  // permits granted before report into a window they no longer belong to
      window_clear();
      check_invariants_locked();
    } else {
      transition_locked(BreakerState::closed, now, log);
    }
  }
  notify(log);
}

void CircuitBreaker::record_success() {
  record_unguarded(Outcome::success);
}

void CircuitBreaker::record_failure() {
  record_unguarded(Outcome::failure);
}

void CircuitBreaker::record_unguarded(Outcome outcome) {
  Transitions log;
  {
    std::lock_guard lock(mutex_);
    const TimePoint now = now_locked();
    advance_locked(now, log);
    // In half_open only an outstanding probe may report; anything else is a straggler.
    if (state_ == BreakerState::open ||
        (state_ == BreakerState::half_open && probes_in_flight_ == 0)) {
      ++counters_.ignored;
    } else {
      report_locked(now, outcome, log);
    }
  }
  notify(log);
}

void CircuitBreaker::report(std::uint64_t epoch, Outcome outcome) {
  Transitions log;
  {
    std::lock_guard lock(mutex_);
    const TimePoint now = now_locked();
    advance_locked(now, log);
    // A permit is granted only in closed (any epoch) or half_open (a probe), so a matching epoch
    // means the state is the one it was granted in.
    if (epoch != epoch_) {
      ++counters_.ignored;
    } else {
      report_locked(now, outcome, log);
    }
  }
  notify(log);
}

void CircuitBreaker::release(std::uint64_t epoch) {
  std::lock_guard lock(mutex_);
  if (epoch == epoch_ && state_ == BreakerState::half_open && probes_in_flight_ > 0) {
    --probes_in_flight_;
  }
}

BreakerState CircuitBreaker::state() {
  Transitions log;
  BreakerState current;
  {
    std::lock_guard lock(mutex_);
    advance_locked(now_locked(), log);
    current = state_;
  }
  notify(log);
  return current;
}

std::chrono::seconds CircuitBreaker::retry_after() {
  Transitions log;
  std::int64_t seconds = 0;
  {
    std::lock_guard lock(mutex_);
    const TimePoint now = now_locked();
    advance_locked(now, log);
    if (state_ == BreakerState::open) {
      seconds = std::max<std::int64_t>(1, ceil_seconds(open_until_ - now));
    } else if (state_ == BreakerState::half_open &&
               probes_in_flight_ + probe_successes_ >= options_.half_open_probes) {
      seconds = 1;
    }
  }
  notify(log);
  return std::chrono::seconds(seconds);
}

Duration CircuitBreaker::next_open_duration() const {
  std::lock_guard lock(mutex_);
  // From closed the next opening is a first one; from half_open it is one level further.
  return open_duration_for(state_ == BreakerState::closed ? 0 : open_level_ + 1);
}

CircuitBreakerCounters CircuitBreaker::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

BreakerWindow CircuitBreaker::window() {
  std::lock_guard lock(mutex_);
  return window_totals(now_locked());
}

// ---- under the lock ----

TimePoint CircuitBreaker::now_locked() {
  // Never let time run backwards inside the breaker, whatever the injected clock does.
  last_now_ = std::max(last_now_, now_());
  return last_now_;
}

void CircuitBreaker::advance_locked(TimePoint now, Transitions& log) {
  if (state_ == BreakerState::open && now >= open_until_) {
    transition_locked(BreakerState::half_open, now, log);
  }
}

bool CircuitBreaker::acquire_locked(TimePoint now, Transitions& log) {
  advance_locked(now, log);
  switch (state_) {
    case BreakerState::closed:
      return true;
    case BreakerState::open:
      break;
    case BreakerState::half_open:
      if (probes_in_flight_ + probe_successes_ < options_.half_open_probes) {
        ++probes_in_flight_;
        check_invariants_locked();
        return true;
      }
      break;
  }
  ++counters_.rejected;
  return false;
}

void CircuitBreaker::report_locked(TimePoint now, Outcome outcome, Transitions& log) {
  if (outcome == Outcome::success) {
    ++counters_.successes;
  } else {
    ++counters_.failures;
  }
  if (state_ == BreakerState::closed) {
    window_add(now, outcome);
    const BreakerWindow w = window_totals(now);
    const std::uint64_t minimum = std::max<std::uint64_t>(options_.minimum_calls, 1);
    if (w.calls >= minimum && static_cast<double>(w.failures) >=
                                  options_.failure_rate_threshold * static_cast<double>(w.calls)) {
      transition_locked(BreakerState::open, now, log);
    }
    return;
  }
  if (state_ == BreakerState::half_open) {
    if (probes_in_flight_ > 0) --probes_in_flight_;
    if (outcome == Outcome::failure) {
      ++open_level_;
      transition_locked(BreakerState::open, now, log);
    } else if (++probe_successes_ >= options_.half_open_probes) {
      transition_locked(BreakerState::closed, now, log);
    }
  }
  check_invariants_locked();
}

void CircuitBreaker::transition_locked(BreakerState to, TimePoint now, Transitions& log) {
  const BreakerState from = state_;
  state_ = to;
  ++epoch_;
  probes_in_flight_ = 0;
  probe_successes_ = 0;
  window_clear();
  switch (to) {
    case BreakerState::open:
      if (from == BreakerState::closed) open_level_ = 0;
      opened_at_ = now;
      open_until_ = now + open_duration_for(open_level_);
      ++counters_.opened;
      break;
    case BreakerState::half_open:
      ++counters_.half_opened;
      break;
    case BreakerState::closed:
      open_level_ = 0;
      ++counters_.closed;
      break;
  }
  if (log.size < log.items.size()) log.items[log.size++] = {from, to};
  check_invariants_locked();
}

void CircuitBreaker::check_invariants_locked() const {
#ifndef NDEBUG
  const bool no_probes = probes_in_flight_ == 0 && probe_successes_ == 0;
  const bool window_empty = std::all_of(buckets_.begin(), buckets_.end(), [](const Bucket& b) {
    return b.index == kEmptyBucket && b.successes == 0 && b.failures == 0;
  });
  switch (state_) {
    case BreakerState::closed:
      assert(no_probes);
      break;
    case BreakerState::open:
      assert(no_probes);
      assert(window_empty);
      assert(open_until_ - opened_at_ >= options_.open_duration);
      assert(open_until_ - opened_at_ <= options_.max_open_duration);
      break;
    case BreakerState::half_open:
      assert(probes_in_flight_ + probe_successes_ <= options_.half_open_probes);
      assert(window_empty);
      break;
  }
#endif
}

Duration CircuitBreaker::open_duration_for(std::uint32_t level) const {
  // In floating point so that a long run of failed trials cannot overflow; capped anyway.
  const double base = std::chrono::duration<double>(options_.open_duration).count();
  const double cap = std::chrono::duration<double>(options_.max_open_duration).count();
  const double grown =
      base * std::pow(options_.open_backoff_multiplier, static_cast<double>(level));
  if (!(grown < cap)) return options_.max_open_duration;
  return std::max(options_.open_duration,
                  std::chrono::duration_cast<Duration>(std::chrono::duration<double>(grown)));
}

std::int64_t CircuitBreaker::bucket_index(TimePoint now) {
  return (now - origin_) / options_.bucket_width;
}

void CircuitBreaker::window_add(TimePoint now, Outcome outcome) {
  const std::int64_t index = bucket_index(now);
  Bucket& bucket = buckets_[static_cast<std::size_t>(index % std::ssize(buckets_))];
  if (bucket.index != index) bucket = Bucket{index, 0, 0};
  if (outcome == Outcome::success) {
    ++bucket.successes;
  } else {
    ++bucket.failures;
  }
}

BreakerWindow CircuitBreaker::window_totals(TimePoint now) {
  BreakerWindow totals;
  if (state_ != BreakerState::closed) return totals;
  const std::int64_t current = bucket_index(now);
  const std::int64_t oldest = current - std::ssize(buckets_) + 1;
  for (const Bucket& bucket : buckets_) {
    if (bucket.index != kEmptyBucket && bucket.index >= oldest && bucket.index <= current) {
      totals.calls += bucket.successes + bucket.failures;
      totals.failures += bucket.failures;
    }
  }
  return totals;
}

void CircuitBreaker::window_clear() {
  for (Bucket& bucket : buckets_) bucket = Bucket{kEmptyBucket, 0, 0};
}

void CircuitBreaker::notify(const Transitions& log) const {
  if (!options_.on_transition) return;
  for (std::size_t i = 0; i < log.size; ++i) {
    options_.on_transition(log.items[i].first, log.items[i].second);
  }
}

}  // namespace utxoiq::resilience
