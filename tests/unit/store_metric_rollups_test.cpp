// What one write adds to the hourly rollups and the series catalogue (store/metric_rollups.hpp):
// one entry per (series, UTC hour) and per series, sorted bytewise so concurrent writers lock the
// shared rows in the same order.
#include "store/internal/metric_rollups.hpp"

#include <gtest/gtest.h>

#include "util/rfc3339.hpp"

namespace utxoiq::store {
namespace {

using namespace std::chrono_literals;

Timestamp at(const char* text) {
  return parse_rfc3339(text).value();
}

domain::MetricRecord record(const char* service, const char* type, double value, Timestamp t,
                            const char* unit = "ms") {
  domain::MetricRecord r;
  r.id = new_uuid_v7();
  r.metric = {service, type, value, unit, t, std::nullopt};
  return r;
}

TEST(HourlyRollups, OneEntryPerSeriesAndUtcHourWithCountSumMinMax) {
  const Timestamp h = at("2026-11-22T10:00:00Z");
  const std::vector<domain::MetricRecord> records = {
      record("b", "cpu", 5, h + 59min + 59s), record("a", "mem", 1, h),
      record("b", "cpu", -2, h + 1h),         record("b", "cpu", 3, h),
      record("a", "mem", 7, h + 30min),       record("B", "cpu", 9, h),  // bytewise: 'B' < 'a'
  };
  const auto rollups = compute_hourly_rollups(records);
  const std::vector<HourlyRollup> want = {
      {"B", "cpu", h, 1, 9, 9, 9},
      {"a", "mem", h, 2, 8, 1, 7},
      {"b", "cpu", h, 2, 8, 3, 5},
      {"b", "cpu", h + 1h, 1, -2, -2, -2},
  };
  EXPECT_EQ(rollups, want);
}

TEST(HourlyRollups, APointOnTheHourOpensThatHour) {
  const Timestamp h = at("2026-11-22T10:00:00Z");
  const auto rollups =
      compute_hourly_rollups(std::vector{record("a", "t", 1, h - 1us), record("a", "t", 2, h)});
  ASSERT_EQ(rollups.size(), 2u);
  EXPECT_EQ(rollups[0].hour, h - 1h);
  EXPECT_EQ(rollups[1].hour, h);
}

TEST(HourlyRollups, NoRecordsNoRollups) {
  EXPECT_TRUE(compute_hourly_rollups({}).empty());
  EXPECT_TRUE(compute_series_latest({}).empty());
}

TEST(SeriesLatest, TheNewestPointGivesTheUnitAndTheSpanCoversTheWrite) {
  const Timestamp t = at("2026-11-22T10:00:00Z");
  const std::vector<domain::MetricRecord> records = {
      record("svc", "latency", 1, t + 5s, "ms"), record("svc", "latency", 1, t, "s"),
      record("svc", "latency", 1, t + 9s, "us"), record("svc", "latency", 1, t + 9s, "ns"),
      record("svc", "errors", 1, t, "count"),
  };
  const auto series = compute_series_latest(records);
  const std::vector<SeriesLatest> want = {
      {"svc", "errors", "count", t, t},
      // Two points at the newest time: the later one in the write wins.
      {"svc", "latency", "ns", t, t + 9s},
  };
  EXPECT_EQ(series, want);
  const auto writes = to_series_writes(series);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[1].metric_type, "latency");
  EXPECT_EQ(writes[1].first, t);
  EXPECT_EQ(writes[1].last, t + 9s);
}

}  // namespace
}  // namespace utxoiq::store
