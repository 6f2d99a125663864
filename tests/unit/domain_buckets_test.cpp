// UTC bucket alignment of metric aggregates: hours, days and ISO weeks starting Monday 00:00 UTC,
// across day, month, year and epoch boundaries.
#include "domain/buckets.hpp"

#include <gtest/gtest.h>

#include "util/rfc3339.hpp"

namespace utxoiq::domain {
namespace {

Timestamp at(const char* text) {
  const auto t = parse_rfc3339(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(Timestamp{});
}

struct Row {
  const char* time;
  BucketInterval interval;
  const char* bucket;
};

TEST(BucketStart, AlignsToUtcHoursDaysAndIsoWeeks) {
  using enum BucketInterval;
  const Row rows[] = {
      {"2026-11-22T01:59:59.999999Z", hour, "2026-11-22T01:00:00Z"},
      {"2026-11-22T01:00:00Z", hour, "2026-11-22T01:00:00Z"},       // a boundary starts its bucket
      {"2026-11-22T07:15:00+05:30", hour, "2026-11-22T01:00:00Z"},  // UTC, not local, hours
      {"2026-11-22T23:59:59.999999Z", day, "2026-11-22T00:00:00Z"},
      {"2026-11-23T00:00:00Z", day, "2026-11-23T00:00:00Z"},
      {"2026-11-23T01:00:00+02:00", day, "2026-11-22T00:00:00Z"},  // still the 22nd in UTC
      {"2024-02-29T12:00:00Z", day, "2024-02-29T00:00:00Z"},
      // 2026-11-22 is a Sunday: its last microsecond belongs to the week of Monday the 16th.
      {"2026-11-22T23:59:59.999999Z", week, "2026-11-16T00:00:00Z"},
      {"2026-11-23T00:00:00Z", week, "2026-11-23T00:00:00Z"},  // Monday 00:00 starts a week
      {"2026-11-25T12:00:00Z", week, "2026-11-23T00:00:00Z"},
      // ISO weeks cross years: Thursday 2026-12-31 and Sunday 2027-01-03 are in the week of
      // Monday 2026-12-28.
      {"2026-12-31T10:00:00Z", week, "2026-12-28T00:00:00Z"},
      {"2027-01-03T23:59:59.999999Z", week, "2026-12-28T00:00:00Z"},
      {"2027-01-04T00:00:00Z", week, "2027-01-04T00:00:00Z"},
      {"2027-01-01T00:00:00Z", day, "2027-01-01T00:00:00Z"},
      // Before the Unix epoch (a Thursday): Wednesday 1969-12-31 -> Monday 1969-12-29.
      {"1969-12-31T23:59:59Z", week, "1969-12-29T00:00:00Z"},
      {"1970-01-01T00:00:00Z", week, "1969-12-29T00:00:00Z"},
      {"1969-12-31T23:30:00Z", hour, "1969-12-31T23:00:00Z"},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(format_rfc3339(bucket_start(at(row.time), row.interval)),
              format_rfc3339(at(row.bucket)))
        << row.time << " " << to_string(row.interval);
  }
}

TEST(BucketStart, NextBucketIsOneWidthLaterAndIsItsOwnStart) {
  using enum BucketInterval;
  for (const auto interval : {hour, day, week}) {
    const Timestamp start = bucket_start(at("2026-12-30T13:14:15.161718Z"), interval);
    const Timestamp next = next_bucket_start(start, interval);
    EXPECT_EQ(next - start, bucket_width(interval));
    EXPECT_EQ(bucket_start(next, interval), next);
    EXPECT_EQ(bucket_start(next - std::chrono::microseconds{1}, interval), start);
  }
  EXPECT_EQ(next_bucket_start(at("2026-12-28T00:00:00Z"), week), at("2027-01-04T00:00:00Z"));
}

TEST(BucketIntervalNames, RoundTrip) {
  using enum BucketInterval;
  for (const auto interval : {hour, day, week}) {
    EXPECT_EQ(parse_bucket_interval(to_string(interval)), interval);
  }
  EXPECT_FALSE(parse_bucket_interval("month"));
  EXPECT_FALSE(parse_bucket_interval(""));
}

}  // namespace
}  // namespace utxoiq::domain
