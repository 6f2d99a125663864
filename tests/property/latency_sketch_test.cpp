// LatencySketch against the exact quantile of the same observations: for any durations from 1 µs
// to 100 s and any q, the sketch answers at least the exact q-quantile and at most 10% above it
// (never above the largest observation).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "pg/latency_sketch.hpp"

namespace utxoiq::pg {
namespace {

RC_GTEST_PROP(LatencySketch, QuantileWithinTenPercentOfExact, ()) {
  const auto micros = *rc::gen::nonEmpty(rc::gen::container<std::vector<std::int64_t>>(
      rc::gen::inRange<std::int64_t>(1, 100'000'000)));
  const double q = *rc::gen::inRange(1, 101) / 100.0;
  LatencySketch sketch;
  std::vector<std::int64_t> sorted;
  for (const auto us : micros) {
    sketch.add(std::chrono::microseconds(us));
    sorted.push_back(us * 1000);
  }
  std::sort(sorted.begin(), sorted.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  const double exact = static_cast<double>(sorted[std::max<std::size_t>(rank, 1) - 1]);
  const double answer = static_cast<double>(sketch.quantile(q).count());
  RC_ASSERT(sketch.count() == micros.size());
  RC_ASSERT(answer >= exact);
  RC_ASSERT(answer <= exact * 1.1 + 2.0);  // + rounding of the bounds to whole ns
  RC_ASSERT(answer <= static_cast<double>(sorted.back()));
}

}  // namespace
}  // namespace utxoiq::pg
