#pragma once
// The one representation of a point in time in the service: microseconds since the Unix epoch, UTC.
// Microseconds because that is PostgreSQL's timestamptz resolution, so a value survives a round
// trip through the database unchanged.
#include <chrono>
#include <cstdint>

namespace utxoiq {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// The current time, truncated to microseconds.
inline Timestamp now_utc() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

inline std::int64_t to_unix_micros(Timestamp t) {
  return t.time_since_epoch().count();
}

inline Timestamp from_unix_micros(std::int64_t micros) {
  return Timestamp{std::chrono::microseconds{micros}};
}

}  // namespace utxoiq
