#pragma once
// The opaque cursor of GET /metrics/series (api.md: "Pages are keyset pages"). The series list is
// ordered by its key (service_name, metric_type), not by (time, id), so its cursor carries that
// pair instead of a KeysetCursor's; the next page is "series after this key", and series created
// between two fetches never cause a duplicate or a gap. The text is base64url, as for every
// cursor, of:
//   version (1) | kind: CursorKind::metric_series (1) | service_name's length (1) |
//   service_name | metric_type.
// The kind byte, shared with KeysetCursor, keeps a cursor of another list from being taken for
// this one (and this one for another). Decoding accepts only a key the API can have written
// (kServiceNameRule, kMetricTypeRule), and refuses any text longer than the largest such key's
// encoding before decoding it, so a hostile cursor costs nothing and never reaches the database
// as anything but a valid series key.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "domain/metric.hpp"

namespace utxoiq::domain {

struct SeriesCursor {
  std::string service_name;
  std::string metric_type;
  bool operator==(const SeriesCursor&) const = default;
};

// The longest cursor text: 3 bytes of header and the longest names, in base64url (4 characters
// per 3 bytes, no padding).
inline constexpr std::size_t kMaxSeriesCursorBytes =
    3 + kServiceNameRule.max_chars + kMetricTypeRule.max_chars;
inline constexpr std::size_t kMaxSeriesCursorChars = (kMaxSeriesCursorBytes * 4 + 2) / 3;

// Requires a key that satisfies kServiceNameRule and kMetricTypeRule (every stored series does:
// the writes are validated by the same rules).
std::string encode_cursor(const SeriesCursor& cursor);

// nullopt unless `text` is a series cursor made by encode_cursor, holding a valid series key.
std::optional<SeriesCursor> decode_series_cursor(std::string_view text);

}  // namespace utxoiq::domain
