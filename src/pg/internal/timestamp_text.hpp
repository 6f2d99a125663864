#pragma once
// PostgreSQL's text form of timestamptz <-> std::chrono::system_clock::time_point.
// Connections are opened with TimeZone=UTC and DateStyle=ISO (see conninfo.cpp), so the server
// prints "2024-05-01 12:34:56.789012+00"; the parser still honours any other offset.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace utxoiq::pg {

// "YYYY-MM-DD HH:MM:SS.ffffff+00" (UTC, microseconds: PostgreSQL's resolution; finer is truncated).
std::string format_timestamp(std::chrono::system_clock::time_point time);

// Accepts "YYYY-MM-DD[ T]HH:MM:SS[.f...][Z|(+|-)HH[:MM[:SS]]]"; no offset means UTC (timestamp
// without time zone). Returns nullopt for anything else, including 'infinity' and BC dates.
std::optional<std::chrono::system_clock::time_point> parse_timestamp(std::string_view text);

}  // namespace utxoiq::pg
