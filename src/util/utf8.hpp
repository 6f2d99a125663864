#pragma once
// UTF-8 validation and code point counting: the API's lengths are in Unicode code points, and query
// parameters arrive as percent-decoded bytes that may not be UTF-8 at all. Our own because the
// standard library has no UTF-8 validator (std::codecvt is deprecated) and this is on the hot path.
#include <cstddef>
#include <optional>
#include <string_view>

namespace utxoiq {

// Number of code points in `text`, or nullopt when it is not well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF, no truncated sequences).
std::optional<std::size_t> utf8_length(std::string_view text);

inline bool is_valid_utf8(std::string_view text) {
  return utf8_length(text).has_value();
}

}  // namespace utxoiq
