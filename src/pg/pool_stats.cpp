// Acquire-wait histogram and the pool log line.
#include "pg/pool_stats.hpp"

#include <fmt/format.h>

namespace utxoiq::pg {

void PoolStats::record_acquire_wait(std::chrono::steady_clock::duration wait) {
  const double seconds = std::chrono::duration<double>(wait).count();
  acquire_wait_seconds_sum += seconds;
  ++acquire_wait_count;
  for (std::size_t i = 0; i < kWaitBuckets.size(); ++i)
    if (seconds <= kWaitBuckets[i]) ++acquire_wait_buckets[i];
}

std::string describe(const PoolStats& stats, std::string_view pool_name) {
  const double mean_ms =
      stats.acquire_wait_count
          ? 1000.0 * stats.acquire_wait_seconds_sum / static_cast<double>(stats.acquire_wait_count)
          : 0.0;
  return fmt::format(
      "pg pool {}: size={} active={} idle={} waiting={} opening={} min={} max={} "
      "acquired_total={} acquire_timeouts_total={} connects_total={} connect_failures_total={} "
      "closed_total={} acquire_wait_mean_ms={:.3f}",
      pool_name, stats.size, stats.active, stats.idle, stats.waiting, stats.opening, stats.min_size,
      stats.max_size, stats.acquired_total, stats.acquire_timeouts_total, stats.connects_total,
      stats.connect_failures_total, stats.closed_total, mean_ms);
}

}  // namespace utxoiq::pg
