// Keyset cursors: round trip, and every kind of garbage refused.
#include "domain/cursor.hpp"

#include <gtest/gtest.h>

#include <string>

#include "util/base64url.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::domain {
namespace {

const Uuid kId = *Uuid::parse("0192f0c4-5b7a-7cde-8f01-23456789abcd");

TEST(Cursor, RoundTripsEveryKindAndExtremeTimes) {
  for (const auto kind : {CursorKind::backfill_jobs, CursorKind::feedback, CursorKind::metrics,
                          CursorKind::retention_runs}) {
    for (const Timestamp t : {kMinTimestamp, from_unix_micros(-1), Timestamp{},
                              *parse_rfc3339("2026-11-22T01:00:00.123456Z"), kMaxTimestamp}) {
      const KeysetCursor cursor{kind, t, kId};
      const std::string text = encode_cursor(cursor);
      EXPECT_EQ(text.size(), 35u);
      EXPECT_EQ(decode_cursor(text, kind), cursor) << text;
    }
  }
}

TEST(Cursor, IsTiedToItsList) {
  const std::string text = encode_cursor({CursorKind::metrics, Timestamp{}, kId});
  EXPECT_TRUE(decode_cursor(text, CursorKind::metrics));
  EXPECT_FALSE(decode_cursor(text, CursorKind::feedback));
  EXPECT_FALSE(decode_cursor(text, CursorKind::backfill_jobs));
}

TEST(Cursor, RefusesGarbage) {
  const std::string good = encode_cursor({CursorKind::feedback, Timestamp{}, kId});
  std::string raw = *base64url_decode(good);
  const auto with_byte = [&](std::size_t i, char c) {
    std::string copy = raw;
    copy[i] = c;
    return base64url_encode(copy);
  };
  // Micros far beyond year 9999.
  std::string far = raw;
  for (std::size_t i = 2; i < 10; ++i) far[i] = '\x7f';
  const std::string cases[] = {
      "",
      "garbage",
      good.substr(0, 34),
      good + "A",
      good.substr(0, 34) + "=",
      std::string(35, '!'),
      with_byte(0, 2),   // unknown format version
      with_byte(1, 99),  // unknown kind
      base64url_encode(far),
      base64url_encode(raw + "x"),  // wrong length
  };
  for (const auto& text : cases) {
    EXPECT_FALSE(decode_cursor(text, CursorKind::feedback)) << text;
  }
}

}  // namespace
}  // namespace utxoiq::domain
