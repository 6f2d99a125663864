// The pure part of `partitions maintain` (ops/partition_plan.hpp): reading partition bounds as
// PostgreSQL prints them, day partition names, and which days to create.
#include "ops/partition_plan.hpp"

#include <gtest/gtest.h>

#include "util/rfc3339.hpp"

namespace utxoiq::ops {
namespace {

using namespace std::chrono;

Timestamp at(const char* text) {
  return parse_rfc3339(text).value();
}

sys_days day(int y, unsigned m, unsigned d) {
  return sys_days{year{y} / month{m} / d};
}

PartitionBound day_bound(sys_days d) {
  return {Timestamp{d}, Timestamp{d + days{1}}};
}

TEST(PartitionBounds, ReadsRangeBoundsInAnyOffsetAndUnboundedSides) {
  EXPECT_EQ(parse_partition_bound(
                "FOR VALUES FROM ('2026-01-06 00:00:00+00') TO ('2026-01-07 00:00:00+00')"),
            (PartitionBound{at("2026-01-06T00:00:00Z"), at("2026-01-07T00:00:00Z")}));
  EXPECT_EQ(parse_partition_bound(
                "FOR VALUES FROM ('2026-01-06 01:00:00+01') TO ('2026-01-07 00:30:00.5+00:30')"),
            (PartitionBound{at("2026-01-06T00:00:00Z"), at("2026-01-07T00:00:00.5Z")}));
  EXPECT_EQ(parse_partition_bound("FOR VALUES FROM (MINVALUE) TO ('2026-01-07 00:00:00+00')"),
            (PartitionBound{std::nullopt, at("2026-01-07T00:00:00Z")}));
  EXPECT_EQ(parse_partition_bound("FOR VALUES FROM ('2026-01-07 00:00:00+00') TO (MAXVALUE)"),
            (PartitionBound{at("2026-01-07T00:00:00Z"), std::nullopt}));
}

TEST(PartitionBounds, RefusesWhatItCannotRead) {
  for (const char* text :
       {"DEFAULT", "", "FOR VALUES IN (1)", "FOR VALUES FROM ('x') TO ('y')",
        "FOR VALUES FROM ('2026-01-06 00:00:00+00')", "FOR VALUES FROM (2026) TO (2027)"}) {
    EXPECT_FALSE(parse_partition_bound(text).has_value()) << text;
  }
}

TEST(DayPartitionName, IsTheUtcDateWithoutSeparators) {
  EXPECT_EQ(day_partition_name(day(2026, 1, 6)), "system_metrics_p20260106");
  EXPECT_EQ(day_partition_name(day(2026, 12, 31)), "system_metrics_p20261231");
}

TEST(PartitionPlanning, CreatesTodayAndTheDaysAheadThatAreMissing) {
  const auto today = day(2026, 11, 22);
  const auto plan = plan_partitions({day_bound(today + days{1})}, today, 3, {});
  EXPECT_EQ(plan.create, (std::vector<sys_days>{today, today + days{2}, today + days{3}}));
  EXPECT_TRUE(plan.blocked.empty());
  EXPECT_TRUE(plan_partitions({day_bound(today)}, today, 0, {}).create.empty());
}

TEST(PartitionPlanning, AddsTheDaysThatHaveRowsInDefaultOnce) {
  const auto today = day(2026, 11, 22);
  const auto old = today - days{40};
  const auto plan = plan_partitions({}, today, 1, {old, today, old});
  EXPECT_EQ(plan.create, (std::vector<sys_days>{old, today, today + days{1}}));
}

TEST(PartitionPlanning, SkipsDaysAnExistingPartitionCoversAndReportsPartialOverlaps) {
  const auto today = day(2026, 11, 22);
  // A monthly partition covering all of today and tomorrow, and an odd one covering half of the
  // day after.
  const std::vector<PartitionBound> existing = {
      {Timestamp{day(2026, 11, 1)}, Timestamp{today + days{2}}},
      {Timestamp{today + days{2}} + hours{12}, Timestamp{today + days{3}}},
  };
  const auto plan = plan_partitions(existing, today, 3, {});
  EXPECT_EQ(plan.create, std::vector<sys_days>{today + days{3}});
  EXPECT_EQ(plan.blocked, std::vector<sys_days>{today + days{2}});
  // An unbounded partition covers everything on its side.
  EXPECT_TRUE(plan_partitions({{std::nullopt, std::nullopt}}, today, 7, {}).create.empty());
}

}  // namespace
}  // namespace utxoiq::ops
