// PostgreSQL timestamptz text <-> system_clock::time_point.
#include <gtest/gtest.h>

#include "pg/internal/timestamp_text.hpp"

namespace utxoiq::pg {
namespace {

using namespace std::chrono;

system_clock::time_point at(int y, unsigned mo, unsigned d, int h, int mi, int s, int us = 0) {
  return time_point_cast<system_clock::duration>(sys_days{year{y} / mo / d} + hours{h} +
                                                 minutes{mi} + seconds{s} + microseconds{us});
}

TEST(PgTimestampText, FormatsUtcWithSixDecimals) {
  EXPECT_EQ(format_timestamp(at(1999, 12, 31, 23, 59, 59, 7)), "1999-12-31 23:59:59.000007+00");
  EXPECT_EQ(format_timestamp(at(1970, 1, 1, 0, 0, 0)), "1970-01-01 00:00:00.000000+00");
}

TEST(PgTimestampText, ParsesServerOutput) {
  EXPECT_EQ(parse_timestamp("2024-05-01 12:34:56.789012+00"), at(2024, 5, 1, 12, 34, 56, 789012));
  EXPECT_EQ(parse_timestamp("2024-05-01 12:34:56+00"), at(2024, 5, 1, 12, 34, 56));
  EXPECT_EQ(parse_timestamp("2024-05-01 12:34:56.5"), at(2024, 5, 1, 12, 34, 56, 500000));
  EXPECT_EQ(parse_timestamp("2024-05-01T12:34:56Z"), at(2024, 5, 1, 12, 34, 56));
}

TEST(PgTimestampText, AppliesOffsets) {
  EXPECT_EQ(parse_timestamp("2024-05-01 14:34:56+02"), at(2024, 5, 1, 12, 34, 56));
  EXPECT_EQ(parse_timestamp("2024-05-01 07:04:56-05:30"), at(2024, 5, 1, 12, 34, 56));
}

TEST(PgTimestampText, RoundTrips) {
  const auto time = at(2031, 7, 4, 1, 2, 3, 456789);
  EXPECT_EQ(parse_timestamp(format_timestamp(time)), time);
}

TEST(PgTimestampText, RejectsWhatItCannotRepresent) {
  EXPECT_FALSE(parse_timestamp("infinity"));
  EXPECT_FALSE(parse_timestamp("2024-02-30 00:00:00+00"));
  EXPECT_FALSE(parse_timestamp("2024-05-01 24:00:00+00"));
  EXPECT_FALSE(parse_timestamp("0044-03-15 12:00:00+00 BC"));
  EXPECT_FALSE(parse_timestamp("2024-05-01"));
  EXPECT_FALSE(parse_timestamp("2024-05-01 12:34:56."));
}

}  // namespace
}  // namespace utxoiq::pg
