// Idempotency-Key validation and request fingerprints (see idempotency_key.hpp).
#include "api/idempotency_key.hpp"

#include <algorithm>

#include "util/sha256.hpp"

namespace utxoiq::api {

domain::Validated<std::optional<std::string>> read_idempotency_key(const http::Request& request) {
  std::optional<std::string_view> value;
  int count = 0;
  for (const auto& [name, field] : request.headers.fields()) {
    if (!http::iequals(name, kIdempotencyKeyHeader)) continue;
    if (++count == 1) value = field;
  }
  if (count == 0) return std::optional<std::string>();
  const auto invalid = [](std::string message) {
    return FieldErrors{{std::string(kIdempotencyKeyHeader), std::move(message)}};
  };
  if (count > 1) return invalid("must be given once");
  if (value->empty() || value->size() > kMaxIdempotencyKeyLength) {
    return invalid("must be 1 to " + std::to_string(kMaxIdempotencyKeyLength) + " characters");
  }
  const bool visible =
      std::all_of(value->begin(), value->end(), [](char c) { return c >= 0x21 && c <= 0x7E; });
  if (!visible) {
    return invalid("must be visible ASCII characters (no spaces or control characters)");
  }
  return std::optional<std::string>(std::string(*value));
}

std::string idempotency_scope(const http::Request& request) {
  return request.principal ? request.principal->key_id : std::string();
}

std::string idempotency_fingerprint(std::string_view route_name, std::string_view body) {
  Sha256 hash;
  hash.update(route_name);
  hash.update(std::string_view("\n", 1));
  hash.update(body);
  return hash.finish_hex();
}

}  // namespace utxoiq::api
