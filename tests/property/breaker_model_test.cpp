// Circuit breaker against a reference model, under random sequences of calls (succeeding or
// failing), held and dropped permits, and clock advances, with random options. After every step
// the breaker and the model must agree on the state, on what was admitted and on Retry-After; and,
// checked independently of the model, only legal transitions happen, open admits nothing, half-open
// has at most N probes out, and closed opens only with >= minimum calls at >= the threshold.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <utility>
#include <vector>

#include "resilience/circuit_breaker.hpp"
#include "resilience/clock.hpp"

namespace utxoiq::resilience {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

struct Op {
  enum Kind { succeed, fail, hold, finish_ok, finish_failed, drop, tick, jump } kind;
  int value;  // tick/jump: milliseconds; finish/drop: which held permit
};

std::ostream& operator<<(std::ostream& os, const Op& op) {
  static const char* names[] = {"succeed",       "fail", "hold", "finish_ok",
                                "finish_failed", "drop", "tick", "jump"};
  return os << names[op.kind] << "(" << op.value << ")";
}

rc::Gen<Op> gen_op() {
  return rc::gen::apply(
      [](Op::Kind kind, int value) {
        return Op{kind, value};
      },
      rc::gen::weightedElement<Op::Kind>({{6, Op::succeed},
                                          {6, Op::fail},
                                          {2, Op::hold},
                                          {1, Op::finish_ok},
                                          {1, Op::finish_failed},
                                          {1, Op::drop},
                                          {3, Op::tick},
                                          {1, Op::jump}}),
      rc::gen::inRange(0, 20'000));
}

// The breaker's rules written as plainly as possible: every call of the closed period is kept in
// a list and the window is counted from it by brute force.
class Model {
 public:
  Model(const CircuitBreakerOptions& o, TimePoint origin) : o_(o), origin_(origin) {
    buckets_ = (o.window + o.bucket_width - Duration(1)) / o.bucket_width;
  }

  BreakerState state(TimePoint now) {
    due(now);
    return state_;
  }
  std::uint64_t epoch() const { return epoch_; }

  // The epoch the permit belongs to, or nothing when refused.
  std::optional<std::uint64_t> acquire(TimePoint now) {
    due(now);
    if (state_ == BreakerState::closed) return epoch_;
    if (state_ == BreakerState::half_open && in_flight_ + successes_ < o_.half_open_probes) {
      ++in_flight_;
      return epoch_;
    }
    return std::nullopt;
  }

  void report(std::uint64_t epoch, bool failed, TimePoint now) {
    due(now);
    if (epoch != epoch_) return;
    if (state_ == BreakerState::closed) {
      calls_.emplace_back(bucket(now), failed);
      const auto [calls, failures] = window(now);
      if (calls >= std::max<std::uint64_t>(o_.minimum_calls, 1) &&
          static_cast<double>(failures) >= o_.failure_rate_threshold * static_cast<double>(calls)) {
        open_level_ = 0;
        go(BreakerState::open, now);
      }
    } else if (state_ == BreakerState::half_open) {
      --in_flight_;
      if (failed) {
        ++open_level_;
        go(BreakerState::open, now);
      } else if (++successes_ == o_.half_open_probes) {
        open_level_ = 0;
        go(BreakerState::closed, now);
      }
    }
  }

  void release(std::uint64_t epoch) {
    if (epoch == epoch_ && state_ == BreakerState::half_open) --in_flight_;
  }

  std::int64_t retry_after(TimePoint now) {
    due(now);
    if (state_ == BreakerState::open) {
      const auto left = open_until_ - now;
      return std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(left).count());
    }
    if (state_ == BreakerState::half_open && in_flight_ + successes_ == o_.half_open_probes)
      return 1;
    return 0;
  }

  std::pair<std::uint64_t, std::uint64_t> window(TimePoint now) const {
    std::uint64_t calls = 0;
    std::uint64_t failures = 0;
    const std::int64_t current = bucket(now);
    for (const auto& [b, failed] : calls_) {
      if (b > current - buckets_ && b <= current) {
        ++calls;
        failures += failed ? 1 : 0;
      }
    }
    return {calls, failures};
  }

  std::uint32_t probes_out() const { return in_flight_ + successes_; }

 private:
  std::int64_t bucket(TimePoint now) const { return (now - origin_) / o_.bucket_width; }

  void due(TimePoint now) {
    if (state_ == BreakerState::open && now >= open_until_) go(BreakerState::half_open, now);
  }

  void go(BreakerState to, TimePoint now) {
    if (to == BreakerState::open) {
      // Capped while still in seconds: after a few dozen failed trials the uncapped length no
      // longer fits the clock's 64-bit nanoseconds, and converting it would be undefined.
      const double seconds = std::chrono::duration<double>(o_.open_duration).count() *
                             std::pow(o_.open_backoff_multiplier, open_level_);
      const double cap = std::chrono::duration<double>(o_.max_open_duration).count();
      open_until_ =
          now + (seconds < cap
                     ? std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds))
                     : o_.max_open_duration);
    }
    state_ = to;
    ++epoch_;
    in_flight_ = 0;
    successes_ = 0;
    calls_.clear();
  }

  CircuitBreakerOptions o_;
  TimePoint origin_;
  std::int64_t buckets_;
  BreakerState state_ = BreakerState::closed;
  std::uint64_t epoch_ = 0;
  std::vector<std::pair<std::int64_t, bool>> calls_;
  TimePoint open_until_{};
  int open_level_ = 0;
  std::uint32_t in_flight_ = 0;
  std::uint32_t successes_ = 0;
};

bool legal(BreakerState from, BreakerState to) {
  return (from == BreakerState::closed && to == BreakerState::open) ||
         (from == BreakerState::open && to == BreakerState::half_open) ||
         (from == BreakerState::half_open &&
          (to == BreakerState::open || to == BreakerState::closed));
}

CircuitBreakerOptions random_options() {
  CircuitBreakerOptions o;
  o.minimum_calls = *rc::gen::inRange<std::uint32_t>(0, 12);
  o.failure_rate_threshold = *rc::gen::element(0.25, 0.5, 0.75, 1.0);
  o.half_open_probes = *rc::gen::inRange<std::uint32_t>(1, 5);
  o.bucket_width = milliseconds(*rc::gen::inRange(100, 3000));
  o.window = milliseconds(*rc::gen::inRange(500, 20'000));
  o.open_duration = milliseconds(*rc::gen::inRange(500, 15'000));
  o.open_backoff_multiplier = *rc::gen::element(1.0, 1.5, 2.0, 3.0);
  o.max_open_duration = o.open_duration * *rc::gen::inRange(1, 10);
  return o;
}

void run(CircuitBreakerOptions options, const std::vector<Op>& ops) {
  ManualClock clock;
  std::vector<std::pair<BreakerState, BreakerState>> transitions;
  options.on_transition = [&](BreakerState from, BreakerState to) {
    transitions.emplace_back(from, to);
  };
  CircuitBreaker breaker(options, clock.fn());
  Model model(options, clock.now());
  struct Held {
    CircuitBreaker::Permit permit;
    std::uint64_t epoch;
  };
  std::vector<Held> held;
  BreakerState last = BreakerState::closed;

  for (const Op& op : ops) {
    const TimePoint now = clock.now();
    // What the independent checks need from before the step.
    const BreakerState before = model.state(now);
    const auto window_before = model.window(now);
    const std::size_t transitions_before = transitions.size();

    switch (op.kind) {
      case Op::succeed:
      case Op::fail:
      case Op::hold: {
        auto permit = breaker.try_acquire();
        const auto expected = model.acquire(now);
        RC_ASSERT(permit.granted() == expected.has_value());
        if (before == BreakerState::open) RC_ASSERT(!permit.granted());
        if (!permit) break;
        if (op.kind == Op::hold) {
          held.push_back(Held{std::move(permit), *expected});
        } else if (op.kind == Op::succeed) {
          permit.success();
          model.report(*expected, false, now);
        } else {
          permit.failure();
          model.report(*expected, true, now);
        }
        break;
      }
      case Op::finish_ok:
      case Op::finish_failed:
      case Op::drop: {
        if (held.empty()) break;
        const std::size_t i = static_cast<std::size_t>(op.value) % held.size();
        Held h = std::move(held[i]);
        held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
        if (op.kind == Op::drop) {
          h.permit = CircuitBreaker::Permit();  // destroyed without an outcome
          model.release(h.epoch);
        } else {
          const bool failed = op.kind == Op::finish_failed;
          failed ? h.permit.failure() : h.permit.success();
          model.report(h.epoch, failed, now);
        }
        break;
      }
      case Op::tick:
        clock.advance(milliseconds(op.value % 2000));
        break;
      case Op::jump:
        clock.advance(milliseconds(op.value * 2));
        break;
    }

    const TimePoint after = clock.now();
    RC_ASSERT(breaker.state() == model.state(after));
    RC_ASSERT(breaker.retry_after().count() == model.retry_after(after));
    RC_ASSERT(model.probes_out() <= options.half_open_probes);

    // Only legal transitions, each starting where the previous one ended.
    for (std::size_t i = transitions_before; i < transitions.size(); ++i) {
      RC_ASSERT(transitions[i].first == last);
      RC_ASSERT(legal(transitions[i].first, transitions[i].second));
      last = transitions[i].second;
      // Closed opens only on a report that brings the window to >= minimum calls at >= threshold.
      if (transitions[i] == std::pair{BreakerState::closed, BreakerState::open}) {
        RC_ASSERT(op.kind == Op::fail || op.kind == Op::finish_failed || op.kind == Op::succeed ||
                  op.kind == Op::finish_ok);
        const std::uint64_t calls = window_before.first + 1;  // the report that tripped it
        const std::uint64_t failures =
            window_before.second + ((op.kind == Op::fail || op.kind == Op::finish_failed) ? 1 : 0);
        RC_ASSERT(calls >= std::max<std::uint64_t>(options.minimum_calls, 1));
        RC_ASSERT(static_cast<double>(failures) >=
                  options.failure_rate_threshold * static_cast<double>(calls));
      }
    }
    RC_ASSERT(last == breaker.state());
  }

  const CircuitBreakerCounters counters = breaker.counters();
  std::uint64_t opened = 0;
  for (const auto& t : transitions) opened += t.second == BreakerState::open ? 1 : 0;
  RC_ASSERT(counters.opened == opened);

  // How much of the state machine the case reached (printed as the distribution of cases).
  const auto seen = [&](BreakerState from, BreakerState to) {
    return std::find(transitions.begin(), transitions.end(), std::pair{from, to}) !=
           transitions.end();
  };
  RC_CLASSIFY(seen(BreakerState::closed, BreakerState::open), "opened");
  RC_CLASSIFY(seen(BreakerState::half_open, BreakerState::open), "reopened after a failed trial");
  RC_CLASSIFY(seen(BreakerState::half_open, BreakerState::closed), "closed after a trial");
}

void random_options_case() {
  const CircuitBreakerOptions options = random_options();
  const auto count = *rc::gen::inRange<std::size_t>(0, 400);
  const auto ops = *rc::gen::container<std::vector<Op>>(count, gen_op());
  run(options, ops);
}

RC_GTEST_PROP(BreakerModel, RandomOptionsAgreeWithTheModel, ()) {
  random_options_case();
}

// A fixed seed whose 87th case fails 22 half-open trials in a row with a 3x backoff: the length
// of the next opening (0.712 s x 3^22) overflows the clock's nanoseconds unless it is capped
// before the conversion. Runs on every build, whatever RC_PARAMS says.
TEST(BreakerModel, TwentyTwoFailedTrialsAtTripleBackoffAgreeWithTheModel) {
  rc::detail::TestParams params;
  params.seed = 14314000861488132087ULL;
  params.maxSuccess = 100;
  params.maxSize = 100;
  params.disableShrinking = true;  // the seed reproduces the case; shrinking it takes a minute
  const rc::detail::TestResult result =
      rc::detail::checkTestable(&random_options_case, rc::detail::TestMetadata{}, params);
  rc::detail::SuccessResult success;
  EXPECT_TRUE(result.match(success)) << result;
}

RC_GTEST_PROP(BreakerModel, DefaultOptionsAgreeWithTheModel, ()) {
  // The defaults (20 calls, 50%, 60 s window, 30 s open, 3 probes) need longer runs and bigger
  // jumps to reach every state; jump covers up to 40 s.
  const auto count = *rc::gen::inRange<std::size_t>(0, 600);
  const auto ops = *rc::gen::container<std::vector<Op>>(count, gen_op());
  run(CircuitBreakerOptions{}, ops);
}

}  // namespace
}  // namespace utxoiq::resilience
