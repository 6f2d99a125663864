#pragma once
// Pool figures for the 60-second log line and for /metrics (the app copies them into the
// metrics registry): current counts, monotonic totals and an acquire-wait histogram.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace utxoiq::pg {

struct PoolStats {
  // Upper bounds (seconds) of the acquire-wait histogram buckets, Prometheus style ("le").
  static constexpr std::array<double, 9> kWaitBuckets{0.0005, 0.001, 0.005, 0.01, 0.05,
                                                      0.1,    0.5,   1.0,   5.0};

  std::size_t size = 0;  // idle + active + opening
  std::size_t active = 0;
  std::size_t idle = 0;
  std::size_t opening = 0;
  std::size_t waiting = 0;
  std::size_t min_size = 0;
  std::size_t max_size = 0;

  std::uint64_t acquired_total = 0;
  std::uint64_t acquire_timeouts_total = 0;
  std::uint64_t connects_total = 0;          // connections opened successfully
  std::uint64_t connect_failures_total = 0;  // failed attempts, retries included
  std::uint64_t closed_total = 0;            // broken, dead while idle, idle timeout, closing

  double acquire_wait_seconds_sum = 0;
  std::uint64_t acquire_wait_count = 0;
  // Cumulative: acquire_wait_buckets[i] counts waits <= kWaitBuckets[i] (the +Inf bucket is
  // acquire_wait_count).
  std::array<std::uint64_t, kWaitBuckets.size()> acquire_wait_buckets{};

  void record_acquire_wait(std::chrono::steady_clock::duration wait);
};

// "pg pool primary: size=5 active=1 idle=4 waiting=0 opening=0 min=5 max=20 ..." for the log.
std::string describe(const PoolStats& stats, std::string_view pool_name);

}  // namespace utxoiq::pg
