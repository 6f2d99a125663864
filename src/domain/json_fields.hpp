#pragma once
// Reading the members of a JSON request body with the API's rules, collecting an error for every
// invalid member instead of stopping at the first. Used by the request validators of each resource.
//
// Conventions (api.md, "Precise rules"):
//  - A missing required member is an error ("is required"); JSON null counts as missing.
//  - An optional member that is missing or null is simply absent (no error).
//  - Numbers must be JSON numbers: strings, booleans and null are refused. An integer member
//    accepts a JSON number with no fractional part (2 and 2.0, as JSON Schema does) and
//    refuses 2.5; a non-integer-typed JSON number is only accepted up to 2^53, where it is still
//    exact.
#include <boost/json/object.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "domain/presence.hpp"
#include "domain/text_rule.hpp"
#include "util/field_error.hpp"
#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::domain {

class JsonFields {
 public:
  // `prefix` is prepended to every field name in errors, e.g. "metrics[17]." in a batch.
  JsonFields(const boost::json::object& object, FieldErrors& errors, std::string prefix = {})
      : object_(object), errors_(errors), prefix_(std::move(prefix)) {}

  // The member, or nullptr when it is missing or null.
  const boost::json::value* find(std::string_view name) const;

  std::optional<std::string> text(std::string_view name, Presence presence, const TextRule& rule);
  std::optional<std::int64_t> integer(std::string_view name, Presence presence, std::int64_t min,
                                      std::int64_t max = std::numeric_limits<std::int64_t>::max());
  // A finite number in [min, max].
  std::optional<double> number(std::string_view name, Presence presence,
                               double min = std::numeric_limits<double>::lowest(),
                               double max = std::numeric_limits<double>::max());
  // An RFC 3339 string with an offset.
  std::optional<Timestamp> timestamp(std::string_view name, Presence presence);
  std::optional<Uuid> uuid(std::string_view name, Presence presence);

  // Records an error for member `name` (the prefix is added).
  void fail(std::string_view name, std::string message);

 private:
  // The member for a read; records "is required" when a required one is missing.
  const boost::json::value* member(std::string_view name, Presence presence);

  const boost::json::object& object_;
  FieldErrors& errors_;
  std::string prefix_;
};

// The integer value of a JSON number under the rules above, or nullopt.
std::optional<std::int64_t> json_integer(const boost::json::value& value);

// "must be an integer from 1 to 5", "must be an integer >= 0", ...
std::string integer_range_message(std::int64_t min, std::int64_t max);

}  // namespace utxoiq::domain
