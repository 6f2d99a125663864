// RFC 3339 and PostgreSQL timestamptz text: one small hand-written parser for both grammars (see
// the header for why not std::chrono::parse or strptime).
#include "util/rfc3339.hpp"

#include <algorithm>
#include <chrono>

namespace utxoiq {

namespace {

using namespace std::chrono;

enum class Grammar { rfc3339, postgres };

// A cursor over the text that reads fixed-width decimal fields.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip() { ++pos_; }

  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  // Reads exactly `width` decimal digits.
  bool digits(int width, int& value) {
    if (text_.size() - pos_ < static_cast<std::size_t>(width)) return false;
    int v = 0;
    for (int i = 0; i < width; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    pos_ += width;
    value = v;
    return true;
  }

  // A fraction after the '.': at least one digit; microseconds from the first six, the rest
  // truncated.
  bool fraction(int& micros) {
    const std::size_t start = pos_;
    int v = 0;
    int used = 0;
    while (!at_end() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (used < 6) {
        v = v * 10 + (text_[pos_] - '0');
        ++used;
      }
      ++pos_;
    }
    if (pos_ == start) return false;
    for (; used < 6; ++used) v *= 10;
    micros = v;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool is_date_time_separator(char c, Grammar grammar) {
  if (grammar == Grammar::postgres) return c == ' ';
  return c == 'T' || c == 't' || c == ' ';
}

// The offset east of UTC, in seconds; false when malformed.
bool parse_offset(Scanner& in, Grammar grammar, int& offset_seconds) {
  if (grammar == Grammar::rfc3339 && (in.take('Z') || in.take('z'))) {
    offset_seconds = 0;
    return true;
  }
  int sign = 0;
  if (in.take('+')) {
    sign = 1;
  } else if (in.take('-')) {
    sign = -1;
  } else {
    return false;
  }
  int hours = 0;
  int minutes = 0;
  int seconds = 0;
  if (!in.digits(2, hours) || hours > 23) return false;
  if (grammar == Grammar::rfc3339) {
    if (!in.take(':') || !in.digits(2, minutes) || minutes > 59) return false;
  } else if (in.take(':')) {
    if (!in.digits(2, minutes) || minutes > 59) return false;
    if (in.take(':') && (!in.digits(2, seconds) || seconds > 59)) return false;
  }
  offset_seconds = sign * (hours * 3600 + minutes * 60 + seconds);
  return true;
}

std::optional<Timestamp> parse(std::string_view text, Grammar grammar) {
  Scanner in(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, micros = 0, offset = 0;
  if (!in.digits(4, y) || !in.take('-') || !in.digits(2, mo) || !in.take('-') || !in.digits(2, d)) {
    return std::nullopt;
  }
  if (!is_date_time_separator(in.peek(), grammar)) return std::nullopt;
  in.skip();
  if (!in.digits(2, h) || !in.take(':') || !in.digits(2, mi) || !in.take(':') || !in.digits(2, s)) {
    return std::nullopt;
  }
  if (in.take('.') && !in.fraction(micros)) return std::nullopt;
  if (!parse_offset(in, grammar, offset) || !in.at_end()) return std::nullopt;

  if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;

  const Timestamp t =
      sys_days{date} + hours{h} + minutes{mi} + seconds{s} + microseconds{micros} - seconds{offset};
  if (t < kMinTimestamp || t > kMaxTimestamp) return std::nullopt;
  return t;
}

void write_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Writes "YYYY-MM-DD?HH:MM:SS.ffffff" (26 characters) with `separator` between date and time.
void write_date_time(Timestamp t, char separator, char* out) {
  t = std::clamp(t, kMinTimestamp, kMaxTimestamp);
  const sys_days day_start = floor<days>(t);
  const year_month_day date{day_start};
  const hh_mm_ss<microseconds> time{t - day_start};
  write_digits(out, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  out[4] = '-';
  write_digits(out + 5, static_cast<unsigned>(date.month()), 2);
  out[7] = '-';
  write_digits(out + 8, static_cast<unsigned>(date.day()), 2);
  out[10] = separator;
  write_digits(out + 11, static_cast<unsigned>(time.hours().count()), 2);
  out[13] = ':';
  write_digits(out + 14, static_cast<unsigned>(time.minutes().count()), 2);
  out[16] = ':';
  write_digits(out + 17, static_cast<unsigned>(time.seconds().count()), 2);
  out[19] = '.';
  write_digits(out + 20, static_cast<unsigned>(time.subseconds().count()), 6);
}

}  // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  return parse(text, Grammar::rfc3339);
}

std::optional<Timestamp> parse_pg_timestamptz(std::string_view text) {
  return parse(text, Grammar::postgres);
}

void write_rfc3339(Timestamp t, char* out) {
  write_date_time(t, 'T', out);
  out[26] = 'Z';
}

std::string format_rfc3339(Timestamp t) {
  std::string out(kRfc3339Size, '\0');
  write_rfc3339(t, out.data());
  return out;
}

std::string format_pg_timestamptz(Timestamp t) {
  std::string out(29, '\0');
  write_date_time(t, ' ', out.data());
  out[26] = '+';
  out[27] = '0';
  out[28] = '0';
  return out;
}

}  // namespace utxoiq
