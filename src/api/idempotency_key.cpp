// Idempotency-Key validation and request fingerprints (see idempotency_key.hpp).
#include "api/idempotency_key.hpp"

#include <algorithm>

#include "util/sha256.hpp"

namespace utxoiq::api {

std::optional<std::string> read_idempotency_key(const http::Request& request, FieldErrors& errors) {
  std::optional<std::string_view> value;
  int count = 0;
  for (const auto& [name, field] : request.headers.fields()) {
    if (!http::iequals(name, kIdempotencyKeyHeader)) continue;
    if (++count == 1) value = field;
  }
  if (count == 0) return std::nullopt;
  const std::string field(kIdempotencyKeyHeader);
  if (count > 1) {
    errors.push_back({field, "must be given once"});
    return std::nullopt;
  }
  if (value->empty() || value->size() > kMaxIdempotencyKeyLength) {
    errors.push_back({field, "must be 1 to 255 characters"});
    return std::nullopt;
  }
  const bool visible =
      std::all_of(value->begin(), value->end(), [](char c) { return c >= 0x21 && c <= 0x7E; });
  if (!visible) {
    errors.push_back({field, "must be visible ASCII characters (no spaces or control characters)"});
    return std::nullopt;
  }
  return std::string(*value);
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
