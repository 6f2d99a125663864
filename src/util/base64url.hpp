#pragma once
// base64url without padding (RFC 4648 section 5), for opaque tokens such as page cursors that
// travel in query strings. Our own because OpenSSL's EVP_EncodeBlock is standard base64 with
// padding and Boost's encoder is in a detail namespace; the code is short.
#include <optional>
#include <string>
#include <string_view>

namespace utxoiq {

// Encodes arbitrary bytes; the result uses only [A-Za-z0-9_-] and carries no '=' padding.
std::string base64url_encode(std::string_view bytes);

// Strict decoding: only the base64url alphabet, no padding, no whitespace, a length that a
// padding-free encoding can have (not 1 mod 4), and zero unused bits in the last character, so that
// every byte string has exactly one accepted encoding. nullopt otherwise.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace utxoiq
