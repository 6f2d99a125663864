// API key generation and hashing (see api_key.hpp).
#include "domain/api_key.hpp"

#include "util/base64url.hpp"
#include "util/secure_random.hpp"
#include "util/sha256.hpp"

namespace utxoiq::domain {

std::string generate_api_key() {
  return std::string(kApiKeyPrefix) + base64url_encode(secure_random_bytes(kApiKeyRandomBytes));
}

std::string api_key_hash(std::string_view key) {
  return sha256_hex(key);
}

std::optional<std::string> parse_api_key_role(std::string_view text) {
  if (text == "reader" || text == "writer" || text == "admin") return std::string(text);
  return std::nullopt;
}

}  // namespace utxoiq::domain
