#pragma once
// Statement parameters in PostgreSQL's text format: each one is its text or NULL (nullopt).
// The server parses the text with the type it inferred for $n, so `params(42)` works for an
// integer, bigint or numeric column alike. Build them with
//   pg::params(job_id, 42, std::nullopt, 1.5, true, std::optional<int>{}, some_time_point)
#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "pg/statement_tag.hpp"

namespace utxoiq::pg {

using Param = std::optional<std::string>;
using Params = std::vector<Param>;

// One statement of a pipeline.
struct Statement {
  std::string sql;
  Params params;
  StatementTag tag{};
};

// ---- conversions to text; overloads chosen by the type of each argument of params(...) ----

inline Param to_param(std::nullopt_t) {
  return std::nullopt;
}
inline Param to_param(std::nullptr_t) {
  return std::nullopt;
}
inline Param to_param(std::string value) {
  return Param{std::move(value)};
}
inline Param to_param(std::string_view value) {
  return Param{std::string(value)};
}
inline Param to_param(const char* value) {
  return value ? Param{std::string(value)} : Param{std::nullopt};
}
inline Param to_param(bool value) {
  return Param{value ? "true" : "false"};
}

// Integers of every width, but not char types (a char is text, not a number) nor bool.
template <typename T>
concept Integer = std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char> &&
                  !std::same_as<T, char8_t> && !std::same_as<T, char16_t> &&
                  !std::same_as<T, char32_t> && !std::same_as<T, wchar_t>;

template <Integer T>
Param to_param(T value) {
  return Param{std::to_string(value)};
}

// Shortest text that reads back to the same double; NaN and infinities in PostgreSQL's spelling.
Param to_param(double value);
inline Param to_param(float value) {
  return to_param(static_cast<double>(value));
}

// timestamptz in UTC with microseconds (see timestamp_text.hpp).
Param to_param(std::chrono::system_clock::time_point value);

// Array literal for `= ANY($1)` and friends: {1,2,3} or {"a","b \"c\""}; elements are never NULL.
std::string array_literal(const std::vector<std::string>& values);
// The same with elements that may be NULL (a nullopt Param): {"1",NULL,"3"}, for the arrays of
// an `unnest(...)` whose columns are nullable.
std::string array_literal(const std::vector<Param>& values);
Param to_param(const std::vector<std::string>& values);
template <Integer T>
Param to_param(const std::vector<T>& values) {
  std::string text = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) text += ',';
    text += std::to_string(values[i]);
  }
  text += '}';
  return Param{std::move(text)};
}

// Declared last so that it sees every overload above (the optional's value type is looked up
// where this template is defined, ADL does not reach namespace pg for std types).
template <typename T>
Param to_param(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return to_param(*value);
}

template <typename... Args>
Params params(Args&&... args) {
  Params out;
  out.reserve(sizeof...(Args));
  (out.push_back(to_param(std::forward<Args>(args))), ...);
  return out;
}

}  // namespace utxoiq::pg
