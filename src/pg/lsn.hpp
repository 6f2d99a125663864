#pragma once
// A PostgreSQL WAL position (pg_lsn): a 64-bit byte offset, written "X/Y" (two hex halves). The
// replica router compares positions (has a replica replayed a key's last commit?) and subtracts
// them (bytes of lag), so they are kept as integers, never as text.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace utxoiq::pg {

struct Lsn {
  std::uint64_t value = 0;
  auto operator<=>(const Lsn&) const = default;
};

// "16/B374D848" -> Lsn; nullopt for anything else (empty, missing '/', non-hex, over 8 digits).
std::optional<Lsn> parse_lsn(std::string_view text);
// The inverse of parse_lsn: upper and lower 32 bits in upper-case hex, "16/B374D848".
std::string format_lsn(Lsn lsn);

// Bytes from `from` to `to`, 0 when `to` is not after `from`.
inline std::uint64_t bytes_between(Lsn from, Lsn to) {
  return to.value > from.value ? to.value - from.value : 0;
}

}  // namespace utxoiq::pg
