// Splitting an aggregate range between raw rows (partial edge hours) and hourly rollups (whole
// hours): store/aggregate_plan.hpp. Edges are never clipped.
#include "store/internal/aggregate_plan.hpp"

#include <gtest/gtest.h>

#include "util/rfc3339.hpp"

namespace utxoiq::store {
namespace {

Timestamp at(const char* text) {
  return parse_rfc3339(text).value();
}

void expect_plan(const char* start, const char* end, const char* whole_start,
                 const char* whole_end) {
  const auto plan = plan_aggregate(at(start), at(end));
  EXPECT_EQ(plan.start, at(start));
  EXPECT_EQ(plan.end, at(end));
  EXPECT_EQ(format_rfc3339(plan.whole_start), format_rfc3339(at(whole_start))) << start;
  EXPECT_EQ(format_rfc3339(plan.whole_end), format_rfc3339(at(whole_end))) << end;
}

TEST(AggregatePlan, AlignedRangesAreAllRollups) {
  expect_plan("2026-11-22T10:00:00Z", "2026-11-23T10:00:00Z", "2026-11-22T10:00:00Z",
              "2026-11-23T10:00:00Z");
}

TEST(AggregatePlan, PartialEdgeHoursGoToTheRawRows) {
  expect_plan("2026-11-22T10:15:00Z", "2026-11-22T13:45:00Z", "2026-11-22T11:00:00Z",
              "2026-11-22T13:00:00Z");
  expect_plan("2026-11-22T10:00:00.000001Z", "2026-11-22T12:59:59.999999Z", "2026-11-22T11:00:00Z",
              "2026-11-22T12:00:00Z");
  // One whole hour between two partial ones.
  expect_plan("2026-11-22T09:59:00Z", "2026-11-22T11:01:00Z", "2026-11-22T10:00:00Z",
              "2026-11-22T11:00:00Z");
}

TEST(AggregatePlan, WithoutAWholeHourEverythingIsRaw) {
  // Inside one hour, across one boundary, and empty: no rollup range at all.
  expect_plan("2026-11-22T10:15:00Z", "2026-11-22T10:45:00Z", "2026-11-22T10:45:00Z",
              "2026-11-22T10:45:00Z");
  expect_plan("2026-11-22T10:30:00Z", "2026-11-22T11:30:00Z", "2026-11-22T11:30:00Z",
              "2026-11-22T11:30:00Z");
  expect_plan("2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z",
              "2026-11-22T10:00:00Z");
  expect_plan("2026-11-22T10:00:00Z", "2026-11-22T10:59:59Z", "2026-11-22T10:59:59Z",
              "2026-11-22T10:59:59Z");
}

}  // namespace
}  // namespace utxoiq::store
