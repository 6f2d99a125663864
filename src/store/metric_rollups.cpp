// Per-write rollup and series computation (see metric_rollups.hpp).
#include "store/internal/metric_rollups.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <string_view>
#include <tuple>

namespace utxoiq::store {

namespace {

// Keys point into the records, which outlive the computation; std::string_view compares
// bytewise, which is the lock order promised in the header.
using SeriesKey = std::pair<std::string_view, std::string_view>;
using HourKey = std::tuple<std::string_view, std::string_view, Timestamp>;

}  // namespace

std::vector<HourlyRollup> compute_hourly_rollups(std::span<const domain::MetricRecord> records) {
  std::map<HourKey, HourlyRollup> by_hour;
  for (const auto& record : records) {
    const auto& m = record.metric;
    const Timestamp hour = std::chrono::floor<std::chrono::hours>(m.timestamp);
    auto [it, fresh] = by_hour.try_emplace(HourKey{m.service_name, m.metric_type, hour});
    HourlyRollup& r = it->second;
    if (fresh) {
      r.service_name = m.service_name;
      r.metric_type = m.metric_type;
      r.hour = hour;
      r.min = m.metric_value;
      r.max = m.metric_value;
    } else {
      r.min = std::min(r.min, m.metric_value);
      r.max = std::max(r.max, m.metric_value);
    }
    ++r.count;
    r.sum += m.metric_value;
  }
  std::vector<HourlyRollup> out;
  out.reserve(by_hour.size());
  for (auto& [key, rollup] : by_hour) out.push_back(std::move(rollup));
  return out;
}

std::vector<SeriesLatest> compute_series_latest(std::span<const domain::MetricRecord> records) {
  std::map<SeriesKey, SeriesLatest> by_series;
  for (const auto& record : records) {
    const auto& m = record.metric;
    auto [it, fresh] = by_series.try_emplace(SeriesKey{m.service_name, m.metric_type});
    SeriesLatest& s = it->second;
    if (fresh) {
      s.service_name = m.service_name;
      s.metric_type = m.metric_type;
      s.unit = m.unit;
      s.first = m.timestamp;
      s.last = m.timestamp;
      continue;
    }
    s.first = std::min(s.first, m.timestamp);
    if (m.timestamp >= s.last) {
      s.last = m.timestamp;
      s.unit = m.unit;
    }
  }
  std::vector<SeriesLatest> out;
  out.reserve(by_series.size());
  for (auto& [key, series] : by_series) out.push_back(std::move(series));
  return out;
}

std::vector<SeriesWrite> to_series_writes(std::span<const SeriesLatest> series) {
  std::vector<SeriesWrite> out;
  out.reserve(series.size());
  for (const auto& s : series) out.push_back({s.service_name, s.metric_type, s.first, s.last});
  return out;
}

}  // namespace utxoiq::store
