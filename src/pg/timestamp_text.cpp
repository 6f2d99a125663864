// Hand-written because std::chrono::parse is not in libstdc++ 12 and the format is fixed and small.
#include "pg/internal/timestamp_text.hpp"

#include <charconv>
#include <cstdio>

namespace utxoiq::pg {

namespace {

using std::chrono::system_clock;

// Reads exactly `digits` decimal digits at `pos`, advancing it.
bool read_fixed(std::string_view text, std::size_t& pos, int digits, int& out) {
  if (pos + static_cast<std::size_t>(digits) > text.size()) return false;
  int value = 0;
  for (int i = 0; i < digits; ++i) {
    const char c = text[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(digits);
  out = value;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::string format_timestamp(system_clock::time_point time) {
  using namespace std::chrono;
  const auto micros = floor<microseconds>(time);
  const auto day = floor<days>(micros);
  const year_month_day date{day};
  const hh_mm_ss clock{micros - day};
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02d:%02d:%02d.%06lld+00",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()),
                static_cast<long long>(clock.subseconds().count()));
  return buffer;
}

std::optional<system_clock::time_point> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!read_fixed(text, pos, 4, y) || !expect(text, pos, '-') || !read_fixed(text, pos, 2, mo) ||
      !expect(text, pos, '-') || !read_fixed(text, pos, 2, d))
    return std::nullopt;
  if (pos >= text.size() || (text[pos] != ' ' && text[pos] != 'T')) return std::nullopt;
  ++pos;
  if (!read_fixed(text, pos, 2, h) || !expect(text, pos, ':') || !read_fixed(text, pos, 2, mi) ||
      !expect(text, pos, ':') || !read_fixed(text, pos, 2, s))
    return std::nullopt;
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;

  long long micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }

  int offset_seconds = 0;
  if (pos < text.size()) {
    if (text[pos] == 'Z') {
      ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
      const int sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int oh = 0, om = 0, os = 0;
      if (!read_fixed(text, pos, 2, oh)) return std::nullopt;
      if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!read_fixed(text, pos, 2, om)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') {
          ++pos;
          if (!read_fixed(text, pos, 2, os)) return std::nullopt;
        }
      }
      offset_seconds = sign * (oh * 3600 + om * 60 + os);
    }
  }
  if (pos != text.size()) return std::nullopt;

  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  const auto local = sys_days{date} + hours{h} + minutes{mi} + seconds{s} + microseconds{micros};
  return time_point_cast<system_clock::duration>(local - seconds{offset_seconds});
}

}  // namespace utxoiq::pg
