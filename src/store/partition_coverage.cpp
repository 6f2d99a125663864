// Partition coverage lookups (see partition_coverage.hpp).
#include "store/partition_coverage.hpp"

#include <algorithm>

namespace utxoiq::store {

void PartitionCoverage::replace(std::vector<TimeRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const TimeRange& a, const TimeRange& b) { return a.from < b.from; });
  ranges_ = std::move(ranges);
  known_ = true;
}

bool PartitionCoverage::covers(Timestamp t) const {
  // The last range starting at or before t is the only one that can contain it.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), t,
                             [](Timestamp value, const TimeRange& r) { return value < r.from; });
  if (it == ranges_.begin()) return false;
  --it;
  return t < it->to;
}

std::size_t PartitionCoverage::count_uncovered(
    std::span<const domain::MetricRecord> records) const {
  if (!known_) return 0;
  std::size_t uncovered = 0;
  for (const auto& record : records) {
    if (!covers(record.metric.timestamp)) ++uncovered;
  }
  return uncovered;
}

}  // namespace utxoiq::store
