#pragma once
// What one write adds to the hourly rollups and to the series catalogue, computed from the
// write's points in C++ so that each table gets ONE upsert statement per write (arrays, unnest)
// whatever the batch size. Results are sorted by (service_name, metric_type[, hour]), bytewise:
// concurrent writes then lock the shared rollup and series rows in the same order, so they wait
// for each other instead of deadlocking.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "domain/metric.hpp"
#include "store/metric_store.hpp"
#include "util/time.hpp"

namespace utxoiq::store {

// count/sum/min/max of one series' points in one UTC hour.
struct HourlyRollup {
  std::string service_name;
  std::string metric_type;
  Timestamp hour{};  // the start of the hour
  std::int64_t count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  bool operator==(const HourlyRollup&) const = default;
};

// The newest point of one series in a write: its time, and the unit it came with.
struct SeriesLatest {
  std::string service_name;
  std::string metric_type;
  std::string unit;
  Timestamp first{};  // the oldest point of the series in this write (for invalidation)
  Timestamp last{};
  bool operator==(const SeriesLatest&) const = default;
};

// One entry per (series, hour) present in `records`.
std::vector<HourlyRollup> compute_hourly_rollups(std::span<const domain::MetricRecord> records);

// One entry per series present in `records`. Of several points at the same newest time, the unit
// of the last one in the write wins.
std::vector<SeriesLatest> compute_series_latest(std::span<const domain::MetricRecord> records);

// The series and spans of a write, for MetricWriteListener.
std::vector<SeriesWrite> to_series_writes(std::span<const SeriesLatest> series);

}  // namespace utxoiq::store
