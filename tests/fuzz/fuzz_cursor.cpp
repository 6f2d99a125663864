// Fuzz target: page cursors (opaque text from clients). A cursor that decodes encodes back to a
// cursor that decodes to the same position.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/cursor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using utxoiq::domain::CursorKind;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto kind : {CursorKind::backfill_jobs, CursorKind::feedback, CursorKind::metrics}) {
    if (const auto cursor = utxoiq::domain::decode_cursor(text, kind)) {
      const auto again =
          utxoiq::domain::decode_cursor(utxoiq::domain::encode_cursor(*cursor), kind);
      if (!again) std::abort();
    }
  }
  return 0;
}
