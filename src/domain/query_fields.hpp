#pragma once
// Reading query parameters with the API's rules, collecting an error for every invalid parameter
// (api.md: "A query parameter with an invalid value ... gets 422 naming it; nothing is silently
// clamped"). A parameter given more than once is refused too, since its meaning would be ambiguous.
// An empty value ("limit=") is a value, and invalid wherever an empty one is not allowed.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "domain/cursor.hpp"
#include "domain/presence.hpp"
#include "domain/query_params.hpp"
#include "domain/series_cursor.hpp"
#include "domain/text_rule.hpp"
#include "util/field_error.hpp"
#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {

class QueryFields {
 public:
  QueryFields(const QueryParams& params, FieldErrors& errors) : params_(params), errors_(errors) {}

  // The value of `name` when it is given exactly once; records an error when it is repeated or
  // (for a required one) missing.
  std::optional<std::string_view> raw(std::string_view name, Presence presence);

  std::optional<std::string> text(std::string_view name, Presence presence, const TextRule& rule);
  // Decimal digits with an optional '-', nothing else (no '+', no spaces, no fraction).
  std::optional<std::int64_t> integer(std::string_view name, Presence presence, std::int64_t min,
                                      std::int64_t max = std::numeric_limits<std::int64_t>::max());
  // "true" or "false".
  std::optional<bool> boolean(std::string_view name, Presence presence);
  // RFC 3339 with an offset.
  std::optional<Timestamp> timestamp(std::string_view name, Presence presence);
  std::optional<Uuid> uuid(std::string_view name, Presence presence);
  std::optional<KeysetCursor> cursor(std::string_view name, CursorKind kind);
  std::optional<SeriesCursor> series_cursor(std::string_view name);

  void fail(std::string_view name, std::string message);
  // Whether an error has been recorded for `name` (to skip checks that combine parameters).
  bool failed(std::string_view name) const;

 private:
  const QueryParams& params_;
  FieldErrors& errors_;
};

// Parses a whole decimal int64 ("-12", "007"); nullopt for anything else.
std::optional<std::int64_t> parse_decimal_int64(std::string_view text);

}  // namespace utxoiq::domain
