// Round-trip properties of the value layer's text forms: RFC 3339 timestamps (also written with
// arbitrary offsets and fraction lengths), keyset cursors, series cursors, base64url and UUIDs.
// 100+ cases each.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "domain/buckets.hpp"
#include "domain/cursor.hpp"
#include "domain/series_cursor.hpp"
#include "util/base64url.hpp"
#include "util/rfc3339.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {
namespace {

using namespace std::chrono;

rc::Gen<Timestamp> any_timestamp() {
  return rc::gen::map(rc::gen::inRange<std::int64_t>(to_unix_micros(kMinTimestamp),
                                                     to_unix_micros(kMaxTimestamp) + 1),
                      [](std::int64_t micros) { return from_unix_micros(micros); });
}

Uuid any_uuid() {
  Uuid id;
  for (auto& b : id.bytes) b = *rc::gen::arbitrary<std::uint8_t>();
  return id;
}

// Writes `t` as local time at `offset_minutes` east of UTC, with the fraction to `digits` digits
// (0: none), the way a client in that zone might.
std::string with_offset(Timestamp t, int offset_minutes, int digits, bool lowercase) {
  const Timestamp local = t + minutes{offset_minutes};
  const sys_days day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss<microseconds> time{local - day};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u%c%02d:%02d:%02d",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), lowercase ? 't' : 'T',
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  std::string text = buffer;
  if (digits > 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, "%06lld",
                  static_cast<long long>(time.subseconds().count()));
    text += '.';
    text += std::string(fraction).substr(0, std::min(digits, 6));
    for (int i = 6; i < digits; ++i) text += '7';  // beyond microseconds: truncated
  }
  if (offset_minutes == 0 && lowercase) {
    text += 'z';
  } else if (offset_minutes == 0 && *rc::gen::arbitrary<bool>()) {
    text += 'Z';
  } else {
    const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+',
                  magnitude / 60, magnitude % 60);
    text += buffer;
  }
  return text;
}

RC_GTEST_PROP(Rfc3339Property, FormatThenParseIsIdentity, ()) {
  const Timestamp t = *any_timestamp();
  const std::string text = format_rfc3339(t);
  RC_ASSERT(text.size() == kRfc3339Size);
  RC_ASSERT(parse_rfc3339(text) == std::optional<Timestamp>(t));
  RC_ASSERT(parse_pg_timestamptz(format_pg_timestamptz(t)) == std::optional<Timestamp>(t));
}

RC_GTEST_PROP(Rfc3339Property, AnyOffsetNamesTheSameInstant, ()) {
  // Keep clear of the year limits so the local time stays a 4-digit year.
  const Timestamp t =
      *rc::gen::map(rc::gen::inRange<std::int64_t>(to_unix_micros(kMinTimestamp + days{2}),
                                                   to_unix_micros(kMaxTimestamp - days{2})),
                    [](std::int64_t micros) { return from_unix_micros(micros); });
  const int offset = *rc::gen::inRange(-(23 * 60 + 59), 23 * 60 + 60);
  const int digits = *rc::gen::inRange(0, 10);
  const bool lowercase = *rc::gen::arbitrary<bool>();
  const std::string text = with_offset(t, offset, digits, lowercase);
  // What survives is the time truncated to the digits written.
  microseconds unit{1};
  for (int i = digits; i < 6; ++i) unit *= 10;
  const Timestamp expected = t - (t.time_since_epoch() % unit + unit) % unit;
  const auto parsed = parse_rfc3339(text);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == expected);
}

RC_GTEST_PROP(Rfc3339Property, TextWithoutOffsetIsRefused, ()) {
  const std::string text = format_rfc3339(*any_timestamp());
  RC_ASSERT(!parse_rfc3339(text.substr(0, text.size() - 1)).has_value());
}

RC_GTEST_PROP(CursorProperty, EncodeThenDecodeIsIdentity, ()) {
  const auto kind = *rc::gen::element(CursorKind::backfill_jobs, CursorKind::feedback,
                                      CursorKind::metrics, CursorKind::retention_runs);
  const KeysetCursor cursor{kind, *any_timestamp(), any_uuid()};
  const std::string text = encode_cursor(cursor);
  RC_ASSERT(decode_cursor(text, kind) == std::optional<KeysetCursor>(cursor));
}

RC_GTEST_PROP(CursorProperty, RandomTextIsRefusedOrDecodesToAValidCursor, (std::string text)) {
  const auto decoded = decode_cursor(text, CursorKind::feedback);
  if (decoded) {
    // Only a well-formed encoding can decode, and it re-encodes to the same text.
    RC_ASSERT(encode_cursor(*decoded) == text);
  }
}

// A name of `rule`'s length range over the metric name characters [A-Za-z0-9_.:-].
rc::Gen<std::string> any_metric_name(const TextRule& rule) {
  static constexpr char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-";
  return rc::gen::mapcat(
      rc::gen::inRange<std::size_t>(rule.min_chars, rule.max_chars + 1), [](std::size_t size) {
        return rc::gen::container<std::string>(
            size, rc::gen::map(rc::gen::inRange<std::size_t>(0, sizeof kChars - 1),
                               [](std::size_t i) { return kChars[i]; }));
      });
}

RC_GTEST_PROP(SeriesCursorProperty, EncodeThenDecodeIsIdentity, ()) {
  const SeriesCursor cursor{*any_metric_name(kServiceNameRule), *any_metric_name(kMetricTypeRule)};
  const std::string text = encode_cursor(cursor);
  RC_ASSERT(text.size() <= kMaxSeriesCursorChars);
  RC_ASSERT(decode_series_cursor(text) == std::optional<SeriesCursor>(cursor));
}

RC_GTEST_PROP(SeriesCursorProperty, RandomTextIsRefusedOrDecodesToAValidCursor,
              (std::string text)) {
  if (const auto decoded = decode_series_cursor(text)) RC_ASSERT(encode_cursor(*decoded) == text);
}

RC_GTEST_PROP(Base64UrlProperty, EncodeThenDecodeIsIdentity, (std::string bytes)) {
  const std::string text = base64url_encode(bytes);
  RC_ASSERT(text.find_first_of("+/=") == std::string::npos);
  RC_ASSERT(base64url_decode(text) == std::optional<std::string>(bytes));
}

RC_GTEST_PROP(UuidProperty, FormatThenParseIsIdentityInEitherCase, ()) {
  const Uuid id = any_uuid();
  std::string text = id.to_string();
  RC_ASSERT(Uuid::parse(text) == std::optional<Uuid>(id));
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  RC_ASSERT(Uuid::parse(text) == std::optional<Uuid>(id));
}

RC_GTEST_PROP(BucketProperty, BucketContainsTheTimeAndStartsOnABoundary, ()) {
  const Timestamp t =
      *rc::gen::map(rc::gen::inRange<std::int64_t>(to_unix_micros(kMinTimestamp + weeks{1}),
                                                   to_unix_micros(kMaxTimestamp - weeks{1})),
                    [](std::int64_t micros) { return from_unix_micros(micros); });
  const auto interval =
      *rc::gen::element(BucketInterval::hour, BucketInterval::day, BucketInterval::week);
  const Timestamp start = bucket_start(t, interval);
  RC_ASSERT(start <= t);
  RC_ASSERT(t < next_bucket_start(start, interval));
  RC_ASSERT(bucket_start(start, interval) == start);
  if (interval == BucketInterval::week) {
    RC_ASSERT(weekday{floor<days>(start)} == Monday);
    RC_ASSERT(start == floor<days>(start));
  }
}

}  // namespace
}  // namespace utxoiq::domain
