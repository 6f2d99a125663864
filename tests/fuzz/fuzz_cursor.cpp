// Fuzz target: page cursors (opaque text from clients), the keyset cursors of every (time, id) list
// and the series cursor of GET /metrics/series. A cursor that decodes encodes back to a cursor
// that decodes to the same position; a series cursor is never longer than its bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/cursor.hpp"
#include "domain/series_cursor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using utxoiq::domain::CursorKind;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto kind : {CursorKind::backfill_jobs, CursorKind::feedback, CursorKind::metrics,
                          CursorKind::retention_runs}) {
    if (const auto cursor = utxoiq::domain::decode_cursor(text, kind)) {
      const auto again =
          utxoiq::domain::decode_cursor(utxoiq::domain::encode_cursor(*cursor), kind);
      if (!again || *again != *cursor) std::abort();
    }
  }
  if (const auto series = utxoiq::domain::decode_series_cursor(text)) {
    if (text.size() > utxoiq::domain::kMaxSeriesCursorChars) std::abort();
    const std::string encoded = utxoiq::domain::encode_cursor(*series);
    // One encoding per key: the text decoded is the text encoded (strict base64url).
    if (encoded != text) std::abort();
    const auto again = utxoiq::domain::decode_series_cursor(encoded);
    if (!again || *again != *series) std::abort();
  }
  return 0;
}
