#pragma once
// Opaque keyset-page cursors (api.md: "Pages are keyset pages"). A cursor holds the sort key of the
// last row of a page, (time, id), so the next page is "rows after this key" and rows inserted in
// between never cause duplicates or gaps. The text is base64url of 26 bytes:
//   version (1) | kind (1) | time in Unix microseconds, big-endian signed (8) | id (16).
// The kind ties a cursor to the list it came from: a metrics cursor given to the backfill list is
// refused like any other malformed cursor (422 on `cursor`).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {

enum class CursorKind : std::uint8_t {
  backfill_jobs = 1,   // (started_at, id), newest first
  feedback = 2,        // (created_at, id), newest first: list, comments and per-user lists
  metrics = 3,         // (timestamp, id), oldest first
  retention_runs = 4,  // (started_at, id), newest first
  // Not a KeysetCursor: the (service_name, metric_type) of a SeriesCursor (series_cursor.hpp),
  // listed here so that the kind byte of every cursor text names one list.
  metric_series = 5,
};

struct KeysetCursor {
  CursorKind kind = CursorKind::backfill_jobs;
  Timestamp at{};
  Uuid id{};
  bool operator==(const KeysetCursor&) const = default;
};

std::string encode_cursor(const KeysetCursor& cursor);

// nullopt unless `text` is a cursor made by encode_cursor of the `expected` kind, with a time
// within [kMinTimestamp, kMaxTimestamp].
std::optional<KeysetCursor> decode_cursor(std::string_view text, CursorKind expected);

}  // namespace utxoiq::domain
