#pragma once
// Comparison of secrets (API key hashes) in time that depends only on their length, never on how
// many leading bytes match, so response times cannot be used to guess a stored value byte by byte.
// Wraps OpenSSL's CRYPTO_memcmp.
#include <string_view>

namespace utxoiq {

// True when `a` and `b` are equal. Strings of different lengths are unequal at once (lengths of
// hashes are public).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace utxoiq
