#pragma once
// Latency quantiles in constant memory: counts in logarithmic buckets 10% wide from 1 µs up (the
// last one open-ended), so a quantile is known within 10% whatever the number of observations,
// without keeping (or sorting) them.
#include <array>
#include <chrono>
#include <cstdint>

namespace utxoiq::pg {

class LatencySketch {
 public:
  void add(std::chrono::nanoseconds duration);
  std::uint64_t count() const { return count_; }
  // The upper bound of the bucket holding the q-quantile (0 < q <= 1), capped at the largest
  // observation; 0 before any observation.
  std::chrono::nanoseconds quantile(double q) const;

  static constexpr std::size_t kBuckets = 200;  // 1 µs * 1.1^199 ≈ 170 s

 private:
  std::array<std::uint32_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::chrono::nanoseconds max_{0};
};

}  // namespace utxoiq::pg
