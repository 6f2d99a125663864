// Request ids (see request_id.hpp).
#include "http/request_id.hpp"

#include <cstdint>
#include <random>

namespace utxoiq::http {

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string new_request_id() {
  // Not a secret, only unique: a per-thread generator seeded once from the OS is enough and
  // costs nothing per request.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uint64_t high = generator();
  std::uint64_t low = generator();
  high = (high & ~0xF000ULL) | 0x4000ULL;              // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | (1ULL << 63);  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(36, '-');
  std::size_t pos = 0;
  const auto put = [&](std::uint64_t bits, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      id[pos++] = kHex[(bits >> (i * 4)) & 0xF];
    }
  };
  put(high, 16);
  put(low, 16);
  return id;
}

std::string resolve_request_id(std::optional<std::string_view> client_value) {
  if (client_value && is_valid_request_id(*client_value)) return std::string(*client_value);
  return new_request_id();
}

}  // namespace utxoiq::http
