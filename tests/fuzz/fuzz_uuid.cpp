// Fuzz target: UUID text parsing. A parsed UUID prints as the canonical lower-case text, which
// parses back to the same UUID.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "util/uuid.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto uuid = utxoiq::Uuid::parse(text)) {
    const auto again = utxoiq::Uuid::parse(uuid->to_string());
    if (!again || *again != *uuid) std::abort();
  }
  return 0;
}
