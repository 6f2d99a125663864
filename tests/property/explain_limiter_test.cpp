// ExplainLimiter against a model that remembers every explanation without bound: for any
// capacity, interval and sequence of slow runs (fingerprints, time moving forward), a run is
// explained exactly when its fingerprint was not explained within the interval and fewer than
// `capacity` other fingerprints were; so no fingerprint is ever explained twice within the
// interval, a bound never refuses a fingerprint when there is room, and the limiter never
// remembers more than `capacity` fingerprints.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "pg/explain_limiter.hpp"

namespace utxoiq::pg {
namespace {

RC_GTEST_PROP(ExplainLimiterModel, ExplainsExactlyWhenNotWithinTheIntervalAndThereIsRoom, ()) {
  const auto capacity = *rc::gen::inRange<std::size_t>(1, 6);
  const std::chrono::seconds interval(*rc::gen::inRange(1, 120));
  // (fingerprint, seconds since the previous run)
  const auto runs = *rc::gen::container<std::vector<std::pair<std::uint64_t, int>>>(
      rc::gen::pair(rc::gen::inRange<std::uint64_t>(0, 8), rc::gen::inRange(0, 90)));

  ExplainLimiter limiter(interval, capacity);
  std::map<std::uint64_t, ExplainLimiter::TimePoint> explained;  // the model: last explanation
  ExplainLimiter::TimePoint now{};
  for (const auto& [fingerprint, advance] : runs) {
    now += std::chrono::seconds(advance);
    const auto recent = [&](std::uint64_t f) {
      const auto found = explained.find(f);
      return found != explained.end() && now - found->second < interval;
    };
    std::size_t recent_others = 0;
    for (const auto& [f, at] : explained) recent_others += f != fingerprint && recent(f) ? 1 : 0;
    const bool expected = !recent(fingerprint) && recent_others < capacity;

    RC_ASSERT(limiter.allow(fingerprint, now) == expected);
    if (expected) explained[fingerprint] = now;
    RC_ASSERT(limiter.size() <= capacity);
  }
}

}  // namespace
}  // namespace utxoiq::pg
