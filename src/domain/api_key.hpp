#pragma once
// API keys (api.md, "Authentication and roles"): how a new key looks, how it is hashed for storage,
// and the rules for the names and roles `utxoiq-store keys create` accepts. Only the hash is ever
// stored; the key itself is shown once, when it is made.
#include <optional>
#include <string>
#include <string_view>

#include "domain/text_rule.hpp"

namespace utxoiq::domain {

// Every key this service makes starts with it, so a leaked key is recognisable in logs and by
// secret scanners.
inline constexpr std::string_view kApiKeyPrefix = "uiq_";
// 256 random bits.
inline constexpr std::size_t kApiKeyRandomBytes = 32;
// Longer Authorization values are refused without hashing them.
inline constexpr std::size_t kMaxApiKeyLength = 512;
inline constexpr TextRule kApiKeyNameRule{1, 100, Charset::any};

// "uiq_" + base64url of 32 bytes from the CSPRNG (47 characters).
std::string generate_api_key();

// The stored form of a key: SHA-256 of its text, 64 lowercase hex characters. A plain hash (no
// salt, no stretching) is enough because keys are 256-bit random values, not passwords: there is
// no dictionary to try, and a fast hash keeps authentication cheap.
std::string api_key_hash(std::string_view key);

// "reader", "writer", "admin" (the values of api_keys.role); nullopt for anything else.
std::optional<std::string> parse_api_key_role(std::string_view text);

}  // namespace utxoiq::domain
