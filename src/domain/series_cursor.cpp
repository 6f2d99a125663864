// Series cursor encoding; the layout is documented in the header.
#include "domain/series_cursor.hpp"

#include <cassert>
#include <cstdint>

#include "domain/cursor.hpp"
#include "domain/text_rule.hpp"
#include "util/base64url.hpp"

namespace utxoiq::domain {

namespace {

constexpr std::uint8_t kFormatVersion = 2;
constexpr std::size_t kHeaderBytes = 4;
// The two length bytes must hold the longest service name in bytes.
static_assert(4 * kStoredServiceName.max_chars <= 0xffff);

bool storable_key(std::string_view service_name, std::string_view metric_type) {
  return !check_text(service_name, kStoredServiceName) &&
         !check_text(metric_type, kStoredMetricType);
}

}  // namespace

std::string encode_cursor(const SeriesCursor& cursor) {
  assert(storable_key(cursor.service_name, cursor.metric_type) &&
         "the catalogue's columns hold no other key");
  std::string raw;
  raw.reserve(kHeaderBytes + cursor.service_name.size() + cursor.metric_type.size());
  raw += static_cast<char>(kFormatVersion);
  raw += static_cast<char>(CursorKind::metric_series);
  const std::size_t service_bytes = cursor.service_name.size();
  raw += static_cast<char>(static_cast<std::uint8_t>(service_bytes >> 8));
  raw += static_cast<char>(static_cast<std::uint8_t>(service_bytes & 0xff));
  raw += cursor.service_name;
  raw += cursor.metric_type;
  return base64url_encode(raw);
}

std::optional<SeriesCursor> decode_series_cursor(std::string_view text) {
  // Checked before decoding: a long text is refused without being read.
  if (text.size() > kMaxSeriesCursorChars) return std::nullopt;
  const std::optional<std::string> raw = base64url_decode(text);
  if (!raw || raw->size() < kHeaderBytes) return std::nullopt;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>((*raw)[i]); };
  if (byte(0) != kFormatVersion ||
      byte(1) != static_cast<std::uint8_t>(CursorKind::metric_series)) {
    return std::nullopt;
  }
  const std::size_t service_bytes = (std::size_t{byte(2)} << 8) | byte(3);
  if (service_bytes > raw->size() - kHeaderBytes) return std::nullopt;
  const std::string_view names = std::string_view(*raw).substr(kHeaderBytes);
  const std::string_view service_name = names.substr(0, service_bytes);
  const std::string_view metric_type = names.substr(service_bytes);
  if (!storable_key(service_name, metric_type)) return std::nullopt;
  return SeriesCursor{std::string(service_name), std::string(metric_type)};
}

}  // namespace utxoiq::domain
