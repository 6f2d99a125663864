// Query parameter readers; see the header for the conventions.
#include "domain/query_fields.hpp"

#include <charconv>

#include "domain/json_fields.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::domain {

namespace {

// The same words for every list's cursor: which check refused it is no business of the client's.
constexpr const char* kBadCursorMessage = "is not a valid cursor for this list";

}  // namespace

std::optional<std::int64_t> parse_decimal_int64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const char* const end = text.data() + text.size();
  // from_chars takes a leading '-' but not '+' or spaces, exactly what we want.
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::optional<std::string_view> QueryFields::raw(std::string_view name, Presence presence) {
  const std::size_t n = params_.count(name);
  if (n == 0) {
    if (presence == Presence::required) fail(name, "is required");
    return std::nullopt;
  }
  if (n > 1) {
    fail(name, "must be given at most once");
    return std::nullopt;
  }
  return params_.find(name);
}

void QueryFields::fail(std::string_view name, std::string message) {
  errors_.push_back(FieldError{std::string(name), std::move(message)});
}

bool QueryFields::failed(std::string_view name) const {
  for (const FieldError& e : errors_) {
    if (e.field == name) return true;
  }
  return false;
}

std::optional<std::string> QueryFields::text(std::string_view name, Presence presence,
                                             const TextRule& rule) {
  const auto value = raw(name, presence);
  if (!value) return std::nullopt;
  if (auto problem = check_text(*value, rule)) {
    fail(name, std::move(*problem));
    return std::nullopt;
  }
  return std::string(*value);
}

std::optional<std::int64_t> QueryFields::integer(std::string_view name, Presence presence,
                                                 std::int64_t min, std::int64_t max) {
  const auto value = raw(name, presence);
  if (!value) return std::nullopt;
  const auto n = parse_decimal_int64(*value);
  if (!n || *n < min || *n > max) {
    fail(name, integer_range_message(min, max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> QueryFields::boolean(std::string_view name, Presence presence) {
  const auto value = raw(name, presence);
  if (!value) return std::nullopt;
  if (*value == "true") return true;
  if (*value == "false") return false;
  fail(name, "must be true or false");
  return std::nullopt;
}

std::optional<Timestamp> QueryFields::timestamp(std::string_view name, Presence presence) {
  const auto value = raw(name, presence);
  if (!value) return std::nullopt;
  auto t = parse_rfc3339(*value);
  if (!t) fail(name, "must be an RFC 3339 timestamp with a UTC offset");
  return t;
}

std::optional<Uuid> QueryFields::uuid(std::string_view name, Presence presence) {
  const auto value = raw(name, presence);
  if (!value) return std::nullopt;
  auto id = Uuid::parse(*value);
  if (!id) fail(name, "must be a UUID");
  return id;
}

std::optional<KeysetCursor> QueryFields::cursor(std::string_view name, CursorKind kind) {
  const auto value = raw(name, Presence::optional);
  if (!value) return std::nullopt;
  auto c = decode_cursor(*value, kind);
  if (!c) fail(name, kBadCursorMessage);
  return c;
}

std::optional<SeriesCursor> QueryFields::series_cursor(std::string_view name) {
  const auto value = raw(name, Presence::optional);
  if (!value) return std::nullopt;
  auto c = decode_series_cursor(*value);
  if (!c) fail(name, kBadCursorMessage);
  return c;
}

}  // namespace utxoiq::domain
