#pragma once
// UUIDs: parsing and formatting of any version, and generation of version 7 (RFC 9562), the
// time-ordered ids the service makes. Our own code because Boost.Uuid 1.81 has no version 7 and
// the layout is a few lines: 48-bit Unix milliseconds, version, 12 + 62 random/counter bits.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"

namespace utxoiq {

struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  // Byte-wise order, which for version 7 is creation order.
  auto operator<=>(const Uuid&) const = default;

  // The version nibble (7 for ids made here, 4 for random ones, ...).
  int version() const { return bytes[6] >> 4; }
  // True for the RFC 9562 variant (bits 10xx in byte 8).
  bool is_rfc_variant() const { return (bytes[8] & 0xC0) == 0x80; }
  // The 48-bit Unix millisecond timestamp of a version 7 UUID (meaningless for other versions).
  std::uint64_t v7_unix_ms() const;

  // Canonical lowercase "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
  std::string to_string() const;
  // Writes the 36 characters of to_string() to `out` (no terminating NUL).
  void write(char* out) const;
  static constexpr std::size_t kStringSize = 36;

  // Accepts exactly the canonical 8-4-4-4-12 hex form, either case, any version or variant (the
  // nil UUID included). No braces, no "urn:uuid:", no surrounding spaces.
  static std::optional<Uuid> parse(std::string_view text);
};

// A new version 7 UUID for the current time. Within one thread the ids are strictly increasing
// (RFC 9562 section 6.2, method 1: a 30-bit counter, randomly seeded each millisecond, sits after
// the timestamp; should it run out, the timestamp is advanced by a millisecond). The remaining 44
// bits come from OpenSSL's CSPRNG, buffered per thread. Throws std::runtime_error only if the
// CSPRNG fails.
Uuid new_uuid_v7();

// The same for a given time instead of the clock (deterministic in the timestamp field, random in
// the rest); used by tests and by tools that backdate rows.
Uuid new_uuid_v7_at(Timestamp at);

}  // namespace utxoiq
