// Cursor encoding; the layout is documented in the header.
#include "domain/cursor.hpp"

#include <array>
#include <cassert>

#include "util/base64url.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::domain {

namespace {

constexpr std::uint8_t kFormatVersion = 1;
constexpr std::size_t kEncodedBytes = 26;

}  // namespace

std::string encode_cursor(const KeysetCursor& cursor) {
  assert(cursor.kind != CursorKind::metric_series && "series cursors are SeriesCursor's");
  std::array<char, kEncodedBytes> raw{};
  raw[0] = static_cast<char>(kFormatVersion);
  raw[1] = static_cast<char>(cursor.kind);
  const auto micros = static_cast<std::uint64_t>(to_unix_micros(cursor.at));
  for (int i = 0; i < 8; ++i) raw[2 + i] = static_cast<char>(micros >> (56 - 8 * i));
  for (std::size_t i = 0; i < 16; ++i) raw[10 + i] = static_cast<char>(cursor.id.bytes[i]);
  return base64url_encode(std::string_view(raw.data(), raw.size()));
}

std::optional<KeysetCursor> decode_cursor(std::string_view text, CursorKind expected) {
  assert(expected != CursorKind::metric_series && "series cursors are SeriesCursor's");
  // 26 bytes encode to 35 characters; checking first spares decoding long garbage.
  if (text.size() != 35) return std::nullopt;
  const std::optional<std::string> raw = base64url_decode(text);
  if (!raw || raw->size() != kEncodedBytes) return std::nullopt;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>((*raw)[i]); };
  if (byte(0) != kFormatVersion || byte(1) != static_cast<std::uint8_t>(expected)) {
    return std::nullopt;
  }
  std::uint64_t micros = 0;
  for (std::size_t i = 0; i < 8; ++i) micros = (micros << 8) | byte(2 + i);
  KeysetCursor cursor;
  cursor.kind = expected;
  cursor.at = from_unix_micros(static_cast<std::int64_t>(micros));
  if (cursor.at < kMinTimestamp || cursor.at > kMaxTimestamp) return std::nullopt;
  for (std::size_t i = 0; i < 16; ++i) cursor.id.bytes[i] = byte(10 + i);
  return cursor;
}

}  // namespace utxoiq::domain
