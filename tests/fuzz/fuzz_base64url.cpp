// Fuzz target: strict base64url decoding. Decoding is the inverse of encoding: what decodes
// re-encodes to the same text, and any bytes encode to text that decodes to them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "util/base64url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto bytes = utxoiq::base64url_decode(text)) {
    if (utxoiq::base64url_encode(*bytes) != text) std::abort();
  }
  if (utxoiq::base64url_decode(utxoiq::base64url_encode(text)) != text) std::abort();
  return 0;
}
