// Response JSON helpers.
#include "domain/json_out.hpp"

#include <boost/json/string.hpp>
#include <string_view>

#include "util/rfc3339.hpp"

namespace utxoiq::domain {

namespace {

std::string_view as_view(const boost::json::string& s) {
  return {s.data(), s.size()};
}

}  // namespace

boost::json::value json_timestamp(Timestamp t) {
  char buffer[kRfc3339Size];
  write_rfc3339(t, buffer);
  return boost::json::string(std::string_view(buffer, sizeof buffer));
}

boost::json::value json_timestamp(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return json_timestamp(*t);
}

boost::json::value json_uuid(const Uuid& id) {
  char buffer[Uuid::kStringSize];
  id.write(buffer);
  return boost::json::string(std::string_view(buffer, sizeof buffer));
}

boost::json::value json_text(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return boost::json::string(*text);
}

std::optional<Timestamp> read_json_timestamp(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return parse_rfc3339(as_view(v->get_string()));
}

std::optional<std::optional<Timestamp>> read_json_nullable_timestamp(const boost::json::value* v) {
  if (v != nullptr && v->is_null()) return std::optional<Timestamp>{};
  auto t = read_json_timestamp(v);
  if (!t) return std::nullopt;
  return std::optional<Timestamp>{*t};
}

std::optional<std::string> read_json_string(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(as_view(v->get_string()));
}

std::optional<std::optional<std::string>> read_json_nullable_string(const boost::json::value* v) {
  if (v != nullptr && v->is_null()) return std::optional<std::string>{};
  auto s = read_json_string(v);
  if (!s) return std::nullopt;
  return std::optional<std::string>{std::move(*s)};
}

std::optional<Uuid> read_json_uuid(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return Uuid::parse(as_view(v->get_string()));
}

}  // namespace utxoiq::domain
