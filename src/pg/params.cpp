// Text conversions of parameters that need more than a one-liner.
#include "pg/params.hpp"

#include <charconv>
#include <cmath>

#include "pg/internal/timestamp_text.hpp"

namespace utxoiq::pg {

Param to_param(double value) {
  if (std::isnan(value)) return Param{"NaN"};
  if (std::isinf(value)) return Param{value > 0 ? "Infinity" : "-Infinity"};
  char buffer[32];
  // std::to_chars without a precision gives the shortest round-trip representation, unlike
  // std::to_string (fixed 6 decimals) which would lose precision.
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return Param{std::string(buffer, end)};
}

Param to_param(std::chrono::system_clock::time_point value) {
  return Param{format_timestamp(value)};
}

namespace {

// One element, always quoted, so empty strings, spaces, commas, braces and the word NULL stay
// literal text.
void append_quoted(std::string& text, const std::string& value) {
  text += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') text += '\\';
    text += c;
  }
  text += '"';
}

}  // namespace

std::string array_literal(const std::vector<std::string>& values) {
  std::string text = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) text += ',';
    append_quoted(text, values[i]);
  }
  text += '}';
  return text;
}

std::string array_literal(const std::vector<Param>& values) {
  std::string text = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) text += ',';
    if (values[i]) {
      append_quoted(text, *values[i]);
    } else {
      text += "NULL";
    }
  }
  text += '}';
  return text;
}

Param to_param(const std::vector<std::string>& values) {
  return Param{array_literal(values)};
}

}  // namespace utxoiq::pg
