// WAL positions as integers; see lsn.hpp.
#include "pg/lsn.hpp"

#include <cstdio>

namespace utxoiq::pg {

namespace {

std::optional<std::uint32_t> parse_hex_half(std::string_view text) {
  if (text.empty() || text.size() > 8) return std::nullopt;
  std::uint32_t value = 0;
  for (char c : text) {
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = value * 16 + digit;
  }
  return value;
}

}  // namespace

std::optional<Lsn> parse_lsn(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto high = parse_hex_half(text.substr(0, slash));
  const auto low = parse_hex_half(text.substr(slash + 1));
  if (!high || !low) return std::nullopt;
  return Lsn{(static_cast<std::uint64_t>(*high) << 32) | *low};
}

std::string format_lsn(Lsn lsn) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%X/%X", static_cast<unsigned>(lsn.value >> 32),
                static_cast<unsigned>(lsn.value & 0xFFFFFFFFu));
  return buffer;
}

}  // namespace utxoiq::pg
