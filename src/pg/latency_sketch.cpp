// Bucket i of LatencySketch holds durations in (1 µs * 1.1^(i-1), 1 µs * 1.1^i]; bucket 0 all up
// to 1 µs.
#include "pg/latency_sketch.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace utxoiq::pg {

namespace {

constexpr double kBaseNs = 1000.0;
constexpr double kGrowth = 1.1;

std::chrono::nanoseconds upper_bound_of(std::size_t bucket) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(
      std::ceil(kBaseNs * std::pow(kGrowth, static_cast<double>(bucket)))));
}

std::size_t bucket_of(std::chrono::nanoseconds duration) {
  const double ns = static_cast<double>(duration.count());
  if (ns <= kBaseNs) return 0;
  const double estimate = std::ceil(std::log(ns / kBaseNs) / std::log(kGrowth));
  std::size_t index = std::min(static_cast<std::size_t>(estimate), LatencySketch::kBuckets - 1);
  // The logarithm may round across a bound: the bucket's bound is never below the duration.
  while (index > 0 && upper_bound_of(index - 1) >= duration) --index;
  while (index + 1 < LatencySketch::kBuckets && upper_bound_of(index) < duration) ++index;
  return index;
}

}  // namespace

void LatencySketch::add(std::chrono::nanoseconds duration) {
  auto& slot = buckets_[bucket_of(duration)];
  if (slot < UINT32_MAX) ++slot;
  ++count_;
  max_ = std::max(max_, duration);
}

std::chrono::nanoseconds LatencySketch::quantile(double q) const {
  assert(q > 0 && q <= 1);
  if (count_ == 0) return std::chrono::nanoseconds{0};
  const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(upper_bound_of(i), max_);
  }
  return max_;
}

}  // namespace utxoiq::pg
