#pragma once
// The opaque cursor of GET /metrics/series (api.md: "Pages are keyset pages"). The series list is
// ordered by its key (service_name, metric_type), not by (time, id), so its cursor carries that
// pair instead of a KeysetCursor's; the next page is "series after this key", and series created
// between two fetches never cause a duplicate or a gap. The text is base64url, as for every
// cursor, of:
//   version (2) | kind: CursorKind::metric_series (1) | service_name's length in bytes (2, big
//   endian) | service_name | metric_type.
// The kind byte, shared with KeysetCursor, keeps a cursor of another list from being taken for
// this one (and this one for another). A cursor carries any key the catalogue's columns can hold
// (kStoredServiceName, kStoredMetricType), not only the names the API accepts: a row written by
// hand with a name the API would refuse is still listed, and the page after it still reachable.
// Decoding accepts only such a key and refuses any text longer than the largest one's encoding
// before decoding it, so a hostile cursor costs nothing and reaches the database only as a bound
// parameter of the size of a real key. (Version 1, with a one-byte length, held only API-valid
// names; its cursors are refused, and a client holding one starts the list again.)
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

// What the catalogue's columns (varchar(100), varchar(50)) can hold: UTF-8 without NUL, up to
// that many code points, possibly empty.
inline constexpr TextRule kStoredServiceName{0, kServiceNameRule.max_chars, Charset::any};
inline constexpr TextRule kStoredMetricType{0, kMetricTypeRule.max_chars, Charset::any};

// The longest cursor text: 4 bytes of header and the longest names (4 UTF-8 bytes per code
// point), in base64url (4 characters per 3 bytes, no padding).
inline constexpr std::size_t kMaxSeriesCursorBytes =
    4 + 4 * kStoredServiceName.max_chars + 4 * kStoredMetricType.max_chars;
inline constexpr std::size_t kMaxSeriesCursorChars = (kMaxSeriesCursorBytes * 4 + 2) / 3;

// Requires a key that satisfies kStoredServiceName and kStoredMetricType (every stored series
// does: PostgreSQL holds no more in those columns).
std::string encode_cursor(const SeriesCursor& cursor);

// nullopt unless `text` is a series cursor made by encode_cursor, holding a valid series key.
std::optional<SeriesCursor> decode_series_cursor(std::string_view text);

}  // namespace utxoiq::domain
