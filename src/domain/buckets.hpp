#pragma once
// Time buckets of the metric aggregates (api.md: "buckets aligned to UTC (weeks start on Monday)",
// "a point exactly on a bucket boundary belongs to the bucket that starts there"). The names match
// PostgreSQL's date_trunc fields, whose UTC results are the same buckets ('week' is the ISO week).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "util/time.hpp"

namespace utxoiq::domain {

enum class BucketInterval { hour, day, week };

// "hour", "day", "week".
std::string_view to_string(BucketInterval interval);
std::optional<BucketInterval> parse_bucket_interval(std::string_view text);

// 1 h, 24 h, 7 days: UTC has no daylight saving, so every bucket of an interval is equally long.
std::chrono::microseconds bucket_width(BucketInterval interval);

// The start of the bucket containing `t`: the UTC hour, the UTC day, or Monday 00:00 UTC of the
// ISO week. A `t` on a boundary is its own bucket start.
Timestamp bucket_start(Timestamp t, BucketInterval interval);

// The start of the bucket after the one starting at `start`.
inline Timestamp next_bucket_start(Timestamp start, BucketInterval interval) {
  return start + bucket_width(interval);
}

// One aggregate bucket of GET /metrics/aggregate.
struct MetricBucket {
  Timestamp bucket_start{};
  std::int64_t count = 0;
  double sum = 0;
  double avg = 0;
  double min = 0;
  double max = 0;
  bool operator==(const MetricBucket&) const = default;
};

}  // namespace utxoiq::domain
