// Member readers for JSON request bodies; see the header for the conventions.
#include "domain/json_fields.hpp"

#include <cmath>

#include "util/rfc3339.hpp"

namespace utxoiq::domain {

namespace {

// Largest magnitude at which every integer is exactly representable in a double.
constexpr double kMaxExactDouble = 9007199254740992.0;  // 2^53

std::string_view as_view(const boost::json::string& s) {
  return {s.data(), s.size()};
}

std::string number_range_message(double min, double max) {
  const bool has_min = min > std::numeric_limits<double>::lowest();
  const bool has_max = max < std::numeric_limits<double>::max();
  auto text = [](double v) {
    // Integral bounds print without a fraction ("0 to 100", not "0.000000 to 100.000000").
    if (v == std::floor(v) && std::fabs(v) < kMaxExactDouble) {
      return std::to_string(static_cast<std::int64_t>(v));
    }
    return std::to_string(v);
  };
  if (has_min && has_max) return "must be a number from " + text(min) + " to " + text(max);
  if (has_min) return "must be a number >= " + text(min);
  if (has_max) return "must be a number <= " + text(max);
  return "must be a finite number";
}

}  // namespace

std::optional<std::int64_t> json_integer(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::int64:
      return value.get_int64();
    case boost::json::kind::uint64:
      if (value.get_uint64() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
      }
      return static_cast<std::int64_t>(value.get_uint64());
    case boost::json::kind::double_: {
      const double d = value.get_double();
      if (!std::isfinite(d) || d != std::trunc(d) || std::fabs(d) > kMaxExactDouble) {
        return std::nullopt;
      }
      return static_cast<std::int64_t>(d);
    }
    default:
      return std::nullopt;
  }
}

std::string integer_range_message(std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max()) {
    return "must be an integer >= " + std::to_string(min);
  }
  return "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

const boost::json::value* JsonFields::find(std::string_view name) const {
  const boost::json::value* v = object_.if_contains(name);
  return v == nullptr || v->is_null() ? nullptr : v;
}

const boost::json::value* JsonFields::member(std::string_view name, Presence presence) {
  const boost::json::value* v = find(name);
  if (v == nullptr && presence == Presence::required) fail(name, "is required");
  return v;
}

void JsonFields::fail(std::string_view name, std::string message) {
  std::string field;
  field.reserve(prefix_.size() + name.size());
  field.append(prefix_).append(name);
  errors_.push_back(FieldError{std::move(field), std::move(message)});
}

std::optional<std::string> JsonFields::text(std::string_view name, Presence presence,
                                            const TextRule& rule) {
  const boost::json::value* v = member(name, presence);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(name, "must be a string");
    return std::nullopt;
  }
  const std::string_view s = as_view(v->get_string());
  if (auto problem = check_text(s, rule)) {
    fail(name, std::move(*problem));
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<std::int64_t> JsonFields::integer(std::string_view name, Presence presence,
                                                std::int64_t min, std::int64_t max) {
  const boost::json::value* v = member(name, presence);
  if (v == nullptr) return std::nullopt;
  const std::optional<std::int64_t> n = json_integer(*v);
  if (!n || *n < min || *n > max) {
    fail(name, integer_range_message(min, max));
    return std::nullopt;
  }
  return n;
}

std::optional<double> JsonFields::number(std::string_view name, Presence presence, double min,
                                         double max) {
  const boost::json::value* v = member(name, presence);
  if (v == nullptr) return std::nullopt;
  double d = 0;
  switch (v->kind()) {
    case boost::json::kind::int64:
      d = static_cast<double>(v->get_int64());
      break;
    case boost::json::kind::uint64:
      d = static_cast<double>(v->get_uint64());
      break;
    case boost::json::kind::double_:
      d = v->get_double();
      break;
    default:
      fail(name, number_range_message(min, max));
      return std::nullopt;
  }
  if (!std::isfinite(d) || d < min || d > max) {
    fail(name, number_range_message(min, max));
    return std::nullopt;
  }
  return d;
}

std::optional<Timestamp> JsonFields::timestamp(std::string_view name, Presence presence) {
  const boost::json::value* v = member(name, presence);
  if (v == nullptr) return std::nullopt;
  std::optional<Timestamp> t;
  if (v->is_string()) t = parse_rfc3339(as_view(v->get_string()));
  if (!t) fail(name, "must be an RFC 3339 timestamp with a UTC offset");
  return t;
}

std::optional<Uuid> JsonFields::uuid(std::string_view name, Presence presence) {
  const boost::json::value* v = member(name, presence);
  if (v == nullptr) return std::nullopt;
  std::optional<Uuid> id;
  if (v->is_string()) id = Uuid::parse(as_view(v->get_string()));
  if (!id) fail(name, "must be a UUID");
  return id;
}

}  // namespace utxoiq::domain
