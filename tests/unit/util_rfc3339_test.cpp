// RFC 3339 and PostgreSQL timestamptz text: parsing with offsets, fractions, calendar checks, and
// the fixed output form.
#include "util/rfc3339.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace utxoiq {
namespace {

using namespace std::chrono;

Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int us = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} +
         microseconds{us};
}

struct Accepted {
  const char* text;
  Timestamp expected;
};

TEST(Rfc3339Parse, AcceptsEveryOffsetFormAndOptionalFraction) {
  const Accepted cases[] = {
      {"2026-11-22T01:00:00Z", utc(2026, 11, 22, 1)},
      {"2026-11-22T01:00:00z", utc(2026, 11, 22, 1)},
      {"2026-11-22t01:00:00Z", utc(2026, 11, 22, 1)},
      {"2026-11-22 01:00:00Z", utc(2026, 11, 22, 1)},
      {"2026-11-22T01:00:00+00:00", utc(2026, 11, 22, 1)},
      {"2026-11-22T01:00:00-00:00", utc(2026, 11, 22, 1)},
      {"2026-11-22T06:30:00+05:30", utc(2026, 11, 22, 1)},
      {"2026-11-21T21:00:00-04:00", utc(2026, 11, 22, 1)},
      {"2026-11-22T00:30:00.250-00:30", utc(2026, 11, 22, 1, 0, 0, 250'000)},
      {"2026-11-22T01:00:00.000000Z", utc(2026, 11, 22, 1)},
      {"2026-11-22T01:00:00.123456Z", utc(2026, 11, 22, 1, 0, 0, 123'456)},
      {"2026-11-22T01:00:00.1Z", utc(2026, 11, 22, 1, 0, 0, 100'000)},
      // Beyond microseconds: truncated, not rounded.
      {"2026-11-22T01:00:00.1234567Z", utc(2026, 11, 22, 1, 0, 0, 123'456)},
      {"2026-11-22T01:00:00.999999999Z", utc(2026, 11, 22, 1, 0, 0, 999'999)},
      // Offsets that move the date across a day, month and year boundary.
      {"2027-01-01T01:00:00+02:00", utc(2026, 12, 31, 23)},
      {"2024-02-29T23:59:59.999999Z", utc(2024, 2, 29, 23, 59, 59, 999'999)},
      {"1969-12-31T23:59:59.999999Z", utc(1969, 12, 31, 23, 59, 59, 999'999)},
      {"0001-01-01T00:00:00Z", kMinTimestamp},
      {"9999-12-31T23:59:59.999999Z", kMaxTimestamp},
      {"0000-12-31T23:00:00-01:00", kMinTimestamp},  // year 0 locally, year 1 in UTC
  };
  for (const auto& c : cases) {
    const auto t = parse_rfc3339(c.text);
    ASSERT_TRUE(t.has_value()) << c.text;
    EXPECT_EQ(*t, c.expected) << c.text << " -> " << format_rfc3339(*t);
  }
}

TEST(Rfc3339Parse, RejectsMalformedOrOffsetlessTimestamps) {
  const char* cases[] = {
      "",
      "2026-11-22T01:00:00",        // no offset
      "2026-11-22T01:00:00.5",      // no offset after a fraction
      "2026-11-22",                 // date only
      "2026-11-22T01:00Z",          // no seconds
      "2026-11-22T01:00:00+05",     // offset without minutes
      "2026-11-22T01:00:00+0530",   // offset without colon
      "2026-11-22T01:00:00+24:00",  // offset hour out of range
      "2026-11-22T01:00:00+05:60",  // offset minute out of range
      "2026-11-22T01:00:00.Z",      // empty fraction
      "2026-11-22T01:00:00,5Z",     // comma fraction
      "2026-11-22T01:00:00ZZ",      // trailing text
      "2026-11-22T01:00:00Z ",      // trailing space
      " 2026-11-22T01:00:00Z",      // leading space
      "2026-11-22X01:00:00Z",       // wrong separator
      "2026-02-29T00:00:00Z",       // not a leap year
      "2026-13-01T00:00:00Z",       // month 13
      "2026-00-10T00:00:00Z",       // month 0
      "2026-04-31T00:00:00Z",       // April has 30 days
      "2026-11-22T24:00:00Z",       // hour 24
      "2026-11-22T01:60:00Z",       // minute 60
      "2026-12-31T23:59:60Z",       // leap second: not representable
      "26-11-22T01:00:00Z",         // two-digit year
      "+2026-11-22T01:00:00Z",      // signed year
      "2026-1-22T01:00:00Z",        // one-digit month
      "0000-01-01T00:00:00Z",       // year 0 in UTC
      "9999-12-31T23:59:59-01:00",  // year 10000 in UTC
      "2026-11-22T01:00:00 05:30",  // '+' decoded to space in a query string
      "2026-11-22 01:00:00+00",     // PostgreSQL's form is not RFC 3339
  };
  for (const char* text : cases) EXPECT_FALSE(parse_rfc3339(text).has_value()) << text;
}

TEST(Rfc3339Format, AlwaysUtcWithMicrosecondsAndZ) {
  EXPECT_EQ(format_rfc3339(utc(2026, 11, 22, 1)), "2026-11-22T01:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(utc(2026, 11, 22, 1, 2, 3, 45)), "2026-11-22T01:02:03.000045Z");
  EXPECT_EQ(format_rfc3339(Timestamp{}), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(from_unix_micros(-1)), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_rfc3339(kMinTimestamp), "0001-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(kMaxTimestamp), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_rfc3339(utc(2026, 11, 22, 1)).size(), kRfc3339Size);
  // Out of range values are clamped, never written as garbage.
  EXPECT_EQ(format_rfc3339(kMaxTimestamp + hours{48}), "9999-12-31T23:59:59.999999Z");
}

TEST(Rfc3339Format, RoundTripsThroughParse) {
  const Timestamp samples[] = {utc(2026, 11, 22, 1),
                               utc(2024, 2, 29, 12, 34, 56, 789'012),
                               from_unix_micros(-123'456),
                               kMinTimestamp,
                               kMaxTimestamp,
                               utc(2000, 1, 1, 0, 0, 0, 1)};
  for (const Timestamp t : samples) {
    const std::string text = format_rfc3339(t);
    EXPECT_EQ(parse_rfc3339(text), t) << text;
  }
}

TEST(PgTimestamptz, ParsesServerOutputInUtcSessions) {
  EXPECT_EQ(parse_pg_timestamptz("2026-11-22 01:00:00+00"), utc(2026, 11, 22, 1));
  EXPECT_EQ(parse_pg_timestamptz("2026-11-22 01:00:00.123456+00"),
            utc(2026, 11, 22, 1, 0, 0, 123'456));
  // The server drops trailing zeros of the fraction.
  EXPECT_EQ(parse_pg_timestamptz("2026-11-22 01:00:00.12+00"), utc(2026, 11, 22, 1, 0, 0, 120'000));
  // Other session time zones still give the right instant.
  EXPECT_EQ(parse_pg_timestamptz("2026-11-22 06:30:00+05:30"), utc(2026, 11, 22, 1));
  EXPECT_EQ(parse_pg_timestamptz("2026-11-22 01:00:10+00:00:10"), utc(2026, 11, 22, 1));
  EXPECT_EQ(parse_pg_timestamptz("2026-11-21 20:00:00-05"), utc(2026, 11, 22, 1));
}

TEST(PgTimestamptz, RejectsWhatIsNotServerOutput) {
  const char* cases[] = {
      "infinity",
      "-infinity",
      "2026-11-22 01:00:00+00 BC",
      "2026-11-22T01:00:00+00",
      "2026-11-22 01:00:00Z",
      "2026-11-22 01:00:00",
      "2026-11-22 01:00:00+0",
      "",
  };
  for (const char* text : cases) EXPECT_FALSE(parse_pg_timestamptz(text).has_value()) << text;
}

TEST(PgTimestamptz, FormatsWithSixFractionDigitsAndRoundTrips) {
  const Timestamp t = utc(2026, 11, 22, 1, 0, 0, 123'456);
  EXPECT_EQ(format_pg_timestamptz(t), "2026-11-22 01:00:00.123456+00");
  EXPECT_EQ(format_pg_timestamptz(utc(2026, 11, 22, 1)), "2026-11-22 01:00:00.000000+00");
  EXPECT_EQ(parse_pg_timestamptz(format_pg_timestamptz(t)), t);
}

}  // namespace
}  // namespace utxoiq
