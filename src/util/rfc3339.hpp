#pragma once
// RFC 3339 timestamps for the API, and PostgreSQL's text form of timestamptz for the store.
//
// Our own code rather than std::chrono::parse (not in GCC 12's library) or strptime (no fractions,
// no offsets with a colon, locale-dependent): the grammar is small and fixed, and validation runs
// on the hot path of every request that carries a time.
//
// Rules, shared by both parsers:
//  - Only years 0001..9999, after conversion to UTC (PostgreSQL has no year 0, and a 4-digit year
//    is what the formatters write). Anything outside is rejected.
//  - A fraction may have any number of digits (at least one); digits beyond the sixth are
//    TRUNCATED, not rounded, because the service keeps microseconds (PostgreSQL's resolution).
//  - Leap seconds (":60") are rejected: std::chrono::sys_time cannot represent them.
//  - Calendar validity is checked (no 2026-02-29, no 24:00:00).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"

namespace utxoiq {

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z: the range every parser accepts.
inline constexpr Timestamp kMinTimestamp{
    std::chrono::sys_days{std::chrono::year{1} / std::chrono::January / 1}};
inline constexpr Timestamp kMaxTimestamp{
    std::chrono::sys_days{std::chrono::year{9999} / std::chrono::December / 31} +
    std::chrono::days{1} - std::chrono::microseconds{1}};

// "2026-11-22T01:00:00Z", "2026-11-22t01:00:00.5+05:30", "2026-11-22 01:00:00-00:00": a date,
// 'T', 't' or ' ', a time, an optional fraction and a REQUIRED offset ('Z', 'z' or ±HH:MM).
// nullopt when the text is not such a timestamp (a missing offset included).
std::optional<Timestamp> parse_rfc3339(std::string_view text);

// Length of what write_rfc3339 writes: "2026-11-22T01:00:00.000000Z".
inline constexpr std::size_t kRfc3339Size = 27;

// Writes exactly kRfc3339Size characters, always UTC with 'Z' and six fraction digits; no
// terminating NUL. A time outside [kMinTimestamp, kMaxTimestamp] is clamped into it first (the
// parsers never produce one; this only keeps the output well-formed).
void write_rfc3339(Timestamp t, char* out);
std::string format_rfc3339(Timestamp t);

// PostgreSQL's output of a timestamptz when the session has DateStyle ISO and TimeZone UTC:
// "2026-11-22 01:00:00+00", "2026-11-22 01:00:00.123456+00" (the server drops trailing fraction
// zeros). Offsets +HH, +HH:MM and +HH:MM:SS are understood, so another session time zone still
// parses correctly. "infinity", "-infinity" and BC dates are rejected (nullopt).
std::optional<Timestamp> parse_pg_timestamptz(std::string_view text);

// "2026-11-22 01:00:00.123456+00", which PostgreSQL accepts as timestamptz input in any session.
std::string format_pg_timestamptz(Timestamp t);

}  // namespace utxoiq
