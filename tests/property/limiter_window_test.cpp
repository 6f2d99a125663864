// Sliding-window limiter under random arrival times, keys and admin requests, checked by brute
// force over the admitted timestamps:
//  - no interval of one window length ever holds more admitted requests of a key than the per-key
//    limit, nor more admitted requests overall than the global limit;
//  - it is exact, not merely safe: a request is refused only when its key or the whole service
//    really has `limit` admissions in the window ending at it;
//  - Retry-After is the first whole second at which the request would be admitted, remaining and
//    reset are what the admitted log says;
//  - admin requests are always admitted and count toward nothing: removing them from the sequence
//    changes no other decision.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "resilience/clock.hpp"
#include "resilience/sliding_window_limiter.hpp"

namespace utxoiq::resilience {
namespace {

using std::chrono::milliseconds;

struct Arrival {
  int gap_ms;  // after the previous arrival
  int key;
  bool admin;
};

std::ostream& operator<<(std::ostream& os, const Arrival& a) {
  return os << "+" << a.gap_ms << "ms k" << a.key << (a.admin ? " admin" : "");
}

rc::Gen<Arrival> gen_arrival(int max_gap_ms) {
  return rc::gen::apply(
      [](int gap, int key, int admin) {
        return Arrival{gap, key, admin == 0};
      },
      rc::gen::weightedOneOf<int>({{3, rc::gen::just(0)}, {6, rc::gen::inRange(0, max_gap_ms)}}),
      rc::gen::inRange(0, 5), rc::gen::inRange(0, 10));
}

struct Outcome {
  std::int64_t t_ms;
  int key;
  bool admin;
  RateLimitDecision decision;
};

std::vector<Outcome> replay(const SlidingWindowLimiterOptions& options,
                            const std::vector<Arrival>& arrivals) {
  ManualClock clock;
  SlidingWindowLimiter limiter(options, clock.fn());
  std::vector<Outcome> out;
  std::int64_t t = 0;
  for (const Arrival& a : arrivals) {
    clock.advance(milliseconds(a.gap_ms));
    t += a.gap_ms;
    out.push_back({t, a.key, a.admin, limiter.acquire("key-" + std::to_string(a.key), a.admin)});
  }
  return out;
}

// Admitted non-admin requests among out[0, end) in (t - window, t], of one key or all (key < 0).
std::uint32_t admitted_in_window(const std::vector<Outcome>& out, std::size_t end, std::int64_t t,
                                 std::int64_t window, int key) {
  std::uint32_t n = 0;
  for (std::size_t j = 0; j < end; ++j) {
    const Outcome& o = out[j];
    if (o.admin || !o.decision.allowed || (key >= 0 && o.key != key)) continue;
    if (o.t_ms > t - window && o.t_ms <= t) ++n;
  }
  return n;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

RC_GTEST_PROP(LimiterWindow, NeverOverAdmitsAndIsExact, ()) {
  SlidingWindowLimiterOptions options;
  const int window_ms = *rc::gen::inRange(1000, 10'000);
  options.window = milliseconds(window_ms);
  options.per_key_limit = *rc::gen::inRange<std::uint32_t>(1, 8);
  options.global_limit = *rc::gen::inRange<std::uint32_t>(1, 20);
  options.shards = *rc::gen::inRange<std::size_t>(1, 5);
  const auto count = *rc::gen::inRange<std::size_t>(0, 300);
  const auto arrivals =
      *rc::gen::container<std::vector<Arrival>>(count, gen_arrival(window_ms / 4));
  const auto out = replay(options, arrivals);
  const std::int64_t w = window_ms;
  bool refused_by_key = false;
  bool refused_by_global = false;

  for (std::size_t i = 0; i < out.size(); ++i) {
    const Outcome& o = out[i];
    if (o.admin) {
      RC_ASSERT(o.decision.allowed);
      RC_ASSERT(o.decision.bypassed);
      continue;
    }
    RC_ASSERT(o.decision.limit == options.per_key_limit);
    RC_ASSERT(o.decision.reset_seconds >= 1);
    // The log as it stood when this request arrived.
    const std::uint32_t key_before = admitted_in_window(out, i, o.t_ms, w, o.key);
    const std::uint32_t all_before = admitted_in_window(out, i, o.t_ms, w, -1);
    const bool room = key_before < options.per_key_limit && all_before < options.global_limit;
    RC_ASSERT(o.decision.allowed == room);
    if (o.decision.allowed) {
      RC_ASSERT(o.decision.retry_after_seconds == 0);
      const std::uint32_t key_left = options.per_key_limit - key_before - 1;
      const std::uint32_t all_left = options.global_limit - all_before - 1;
      RC_ASSERT(o.decision.remaining == std::min(key_left, all_left));
      // Reset: when the oldest request of the log that bounds `remaining` leaves the window.
      std::int64_t oldest = o.t_ms;
      for (std::size_t j = 0; j < i; ++j) {
        const Outcome& p = out[j];
        if (p.admin || !p.decision.allowed || p.t_ms <= o.t_ms - w) continue;
        if (key_left > all_left || p.key == o.key) oldest = std::min(oldest, p.t_ms);
      }
      RC_ASSERT(o.decision.reset_seconds ==
                std::max<std::int64_t>(1, ceil_div(oldest + w - o.t_ms, 1000)));
      continue;
    }
    RC_ASSERT(o.decision.remaining == 0u);
    RC_ASSERT(o.decision.reset_seconds == o.decision.retry_after_seconds);
    (key_before >= options.per_key_limit ? refused_by_key : refused_by_global) = true;
    // The first instant from which the same request would be admitted if nothing else came: a
    // slot frees when an admitted request leaves the window, at its time + window.
    std::int64_t free_at = o.t_ms;
    for (std::size_t j = 0; j < i; ++j) {
      const std::int64_t candidate = out[j].t_ms + w;
      if (candidate <= o.t_ms || out[j].admin || !out[j].decision.allowed) continue;
      if (admitted_in_window(out, i, candidate, w, o.key) < options.per_key_limit &&
          admitted_in_window(out, i, candidate, w, -1) < options.global_limit &&
          (free_at == o.t_ms || candidate < free_at)) {
        free_at = candidate;
      }
    }
    RC_ASSERT(free_at > o.t_ms);
    RC_ASSERT(o.decision.retry_after_seconds ==
              std::max<std::int64_t>(1, ceil_div(free_at - o.t_ms, 1000)));
  }

  RC_CLASSIFY(refused_by_key, "refused by a key's limit");
  RC_CLASSIFY(refused_by_global, "refused by the global limit only");

  // No interval [start, start + window) holds more than the limits; the worst intervals start at
  // an admitted request.
  for (const Outcome& first : out) {
    if (first.admin || !first.decision.allowed) continue;
    std::uint32_t same_key = 0;
    std::uint32_t all = 0;
    for (const Outcome& o : out) {
      if (o.admin || !o.decision.allowed) continue;
      if (o.t_ms >= first.t_ms && o.t_ms < first.t_ms + w) {
        ++all;
        if (o.key == first.key) ++same_key;
      }
    }
    RC_ASSERT(same_key <= options.per_key_limit);
    RC_ASSERT(all <= options.global_limit);
  }
}

RC_GTEST_PROP(LimiterWindow, AdminIsNeverLimitedAndNeverCounted, ()) {
  SlidingWindowLimiterOptions options;
  const int window_ms = *rc::gen::inRange(1000, 10'000);
  options.window = milliseconds(window_ms);
  options.per_key_limit = *rc::gen::inRange<std::uint32_t>(1, 6);
  options.global_limit = *rc::gen::inRange<std::uint32_t>(1, 12);
  const auto count = *rc::gen::inRange<std::size_t>(0, 200);
  const auto arrivals =
      *rc::gen::container<std::vector<Arrival>>(count, gen_arrival(window_ms / 4));
  const auto with_admins = replay(options, arrivals);

  // The same arrival times without the admin requests (their gaps folded into the next one).
  std::vector<Arrival> without;
  int carried_gap = 0;
  for (const Arrival& a : arrivals) {
    carried_gap += a.gap_ms;
    if (a.admin) continue;
    without.push_back({carried_gap, a.key, false});
    carried_gap = 0;
  }
  const auto only_regular = replay(options, without);

  std::size_t r = 0;
  for (const Outcome& o : with_admins) {
    if (o.admin) {
      RC_ASSERT(o.decision.allowed && o.decision.bypassed);
      continue;
    }
    const Outcome& p = only_regular[r++];
    RC_ASSERT(p.t_ms == o.t_ms);
    RC_ASSERT(p.decision.allowed == o.decision.allowed);
    RC_ASSERT(p.decision.remaining == o.decision.remaining);
    RC_ASSERT(p.decision.reset_seconds == o.decision.reset_seconds);
    RC_ASSERT(p.decision.retry_after_seconds == o.decision.retry_after_seconds);
  }
  RC_ASSERT(r == only_regular.size());
}

}  // namespace
}  // namespace utxoiq::resilience
