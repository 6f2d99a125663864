// Keyset cursors and the series cursor: round trip, and every kind of garbage refused.
#include "domain/cursor.hpp"

#include <gtest/gtest.h>

#include <string>

#include "domain/series_cursor.hpp"

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

TEST(SeriesCursor, RoundTripsShortestLongestAndEveryNameCharacter) {
  const std::string longest_service(kServiceNameRule.max_chars, 'S');
  const std::string longest_type(kMetricTypeRule.max_chars, 't');
  const SeriesCursor cursors[] = {
      {"a", "b"},
      {"api-gateway", "latency.p99"},
      {"AZaz09_.:-", "-:._90zaZA"},
      {longest_service, "x"},
      {"x", longest_type},
      {longest_service, longest_type},
  };
  for (const auto& cursor : cursors) {
    const std::string text = encode_cursor(cursor);
    EXPECT_LE(text.size(), kMaxSeriesCursorChars);
    EXPECT_EQ(
        text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << text;
    EXPECT_EQ(decode_series_cursor(text), cursor) << text;
  }
}

// A row written into the catalogue by hand may hold names the API refuses; the page that ends on
// it still needs a cursor that leads on.
TEST(SeriesCursor, RoundTripsAnyKeyTheCatalogueCanHold) {
  std::string widest_service, widest_type;  // 4-byte UTF-8 characters, as many as the columns hold
  for (std::size_t i = 0; i < kStoredServiceName.max_chars; ++i) widest_service += "\U0001F600";
  for (std::size_t i = 0; i < kStoredMetricType.max_chars; ++i) widest_type += "\U0001F680";
  const SeriesCursor cursors[] = {
      {"", ""},
      {"", "cpu"},
      {"api gateway/v2", "latency p99%"},
      {"caf\u00e9", "\u20ac"},
      {widest_service, "x"},
      {widest_service, widest_type},
  };
  for (const auto& cursor : cursors) {
    const std::string text = encode_cursor(cursor);
    EXPECT_LE(text.size(), kMaxSeriesCursorChars);
    EXPECT_EQ(decode_series_cursor(text), cursor) << text.substr(0, 80);
  }
  EXPECT_EQ(encode_cursor(SeriesCursor{widest_service, widest_type}).size(), kMaxSeriesCursorChars);
}

TEST(SeriesCursor, TheSplitBetweenTheNamesIsPartOfTheKey) {
  // Same bytes, another split: another series.
  const auto ab_c = decode_series_cursor(encode_cursor(SeriesCursor{"ab", "c"}));
  const auto a_bc = decode_series_cursor(encode_cursor(SeriesCursor{"a", "bc"}));
  ASSERT_TRUE(ab_c && a_bc);
  EXPECT_NE(*ab_c, *a_bc);
  EXPECT_NE(encode_cursor(*ab_c), encode_cursor(*a_bc));
}

TEST(SeriesCursor, IsNotAKeysetCursorAndNoKeysetCursorIsOne) {
  const std::string series = encode_cursor(SeriesCursor{"api", "latency"});
  for (const auto kind : {CursorKind::backfill_jobs, CursorKind::feedback, CursorKind::metrics,
                          CursorKind::retention_runs}) {
    EXPECT_FALSE(decode_cursor(series, kind));
    EXPECT_FALSE(decode_series_cursor(encode_cursor(KeysetCursor{kind, Timestamp{}, kId})));
  }
  // A series cursor whose raw bytes are exactly a keyset cursor's length (26): 4 + 21 + 1.
  const std::string same_length = encode_cursor(SeriesCursor{std::string(21, 's'), "t"});
  ASSERT_EQ(same_length.size(), 35u);
  EXPECT_FALSE(decode_cursor(same_length, CursorKind::metrics));
}

TEST(SeriesCursor, RefusesGarbageAndKeysTheCatalogueCannotHold) {
  const std::string raw = *base64url_decode(encode_cursor(SeriesCursor{"api", "cpu"}));
  const auto with_byte = [&](std::size_t i, char c) {
    std::string copy = raw;
    copy[i] = c;
    return base64url_encode(copy);
  };
  // A cursor of the right layout around names of our choosing.
  const auto made = [](const std::string& service, const std::string& type) {
    std::string bytes{'\x02', '\x05', static_cast<char>(service.size() >> 8),
                      static_cast<char>(service.size() & 0xff)};
    return base64url_encode(bytes + service + type);
  };
  ASSERT_TRUE(decode_series_cursor(made("api", "cpu")));
  const std::string cases[] = {
      "",
      "garbage!",
      "AgUAAw",  // the header alone
      encode_cursor(SeriesCursor{"api", "cpu"}) + "=",
      with_byte(0, 1),                      // version 1, whose length field was one byte
      with_byte(0, 3),                      // unknown format version
      with_byte(1, 3),                      // a metrics cursor's kind
      with_byte(3, 7),                      // a service name longer than what follows
      with_byte(2, '\xff'),                 // likewise, by the high byte
      made("api", std::string("c\0u", 3)),  // NUL
      made("api", "\xc3"),                  // not UTF-8
      made("\xff", "cpu"),                  // likewise
      made(std::string(kStoredServiceName.max_chars + 1, 's'), "t"),
      made("s", std::string(kStoredMetricType.max_chars + 1, 't')),
      std::string(kMaxSeriesCursorChars + 1, 'A'),  // refused on length before decoding
      std::string(1 << 20, 'A'),
  };
  for (const auto& text : cases) {
    EXPECT_FALSE(decode_series_cursor(text)) << text.substr(0, 80);
  }
}

}  // namespace
}  // namespace utxoiq::domain
