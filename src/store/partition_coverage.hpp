#pragma once
// Which time ranges of system_metrics have a partition of their own, as last reported by the
// partition maintenance, so a write can tell without a query whether any of its points may have
// fallen into the DEFAULT partition (and only then count them in the database, to report them:
// those rows are stored, but they make DEFAULT grow and slow down creating partitions until
// `partitions maintain` moves them).
//
// Not thread-safe: replaced and read on the service's one io thread.
#include <cstddef>
#include <span>
#include <vector>

#include "domain/metric.hpp"
#include "util/time.hpp"

namespace utxoiq::store {

struct TimeRange {
  Timestamp from{};  // inclusive
  Timestamp to{};    // exclusive
  bool operator==(const TimeRange&) const = default;
};

class PartitionCoverage {
 public:
  // Until the first replace() nothing is known and nothing is reported.
  bool known() const { return known_; }
  void replace(std::vector<TimeRange> ranges);
  bool covers(Timestamp t) const;
  // How many of `records` no partition covers (0 while unknown).
  std::size_t count_uncovered(std::span<const domain::MetricRecord> records) const;

 private:
  bool known_ = false;
  std::vector<TimeRange> ranges_;  // sorted by `from`, not overlapping
};

}  // namespace utxoiq::store
