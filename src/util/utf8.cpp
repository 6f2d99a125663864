// UTF-8 validation and counting (RFC 3629, table 3-7 of the Unicode standard for the exact
// second-byte ranges that exclude overlongs and surrogates).
#include "util/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace utxoiq {

std::optional<std::size_t> utf8_length(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* const end = p + text.size();
  std::size_t count = 0;
  while (p < end) {
    // Fast path: eight ASCII bytes at once (most text the API sees is ASCII).
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        p += 8;
        count += 8;
        continue;
      }
    }
    const unsigned char lead = *p;
    std::size_t size;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead < 0x80) {
      size = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      size = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      size = 3;
      if (lead == 0xE0) second_min = 0xA0;  // overlong
      if (lead == 0xED) second_max = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      size = 4;
      if (lead == 0xF0) second_min = 0x90;  // overlong
      if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
    } else {
      return std::nullopt;  // continuation byte as lead, C0/C1 overlong, F5..FF
    }
    if (static_cast<std::size_t>(end - p) < size) return std::nullopt;
    if (size > 1) {
      if (p[1] < second_min || p[1] > second_max) return std::nullopt;
      for (std::size_t i = 2; i < size; ++i) {
        if ((p[i] & 0xC0) != 0x80) return std::nullopt;
      }
    }
    p += size;
    ++count;
  }
  return count;
}

}  // namespace utxoiq
