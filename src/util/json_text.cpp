#include "util/json_text.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <cmath>

#include "util/json_escape.hpp"

namespace utxoiq {
namespace {

template <typename Number>
void append_number(std::string& out, Number number) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, result.ptr);
}

void append_object(std::string& out, const boost::json::object& object) {
  out += '{';
  bool first = true;
  for (const auto& member : object) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, member.key());
    out += ':';
    append_json_text(out, member.value());
  }
  out += '}';
}

void append_array(std::string& out, const boost::json::array& array) {
  out += '[';
  bool first = true;
  for (const auto& element : array) {
    if (!first) out += ',';
    first = false;
    append_json_text(out, element);
  }
  out += ']';
}

}  // namespace

// A double keeps a fraction or an exponent ("50.0", not "50"), so parsers that type numbers by
// their text (Boost.JSON, Python) read a double back, as the value was.
void append_json_double(std::string& out, double number) {
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  const std::size_t start = out.size();
  append_number(out, number);
  if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
}

void append_json_text(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      out += "null";
      return;
    case boost::json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case boost::json::kind::int64:
      append_number(out, value.get_int64());
      return;
    case boost::json::kind::uint64:
      append_number(out, value.get_uint64());
      return;
    case boost::json::kind::double_:
      append_json_double(out, value.get_double());
      return;
    case boost::json::kind::string:
      append_json_string(out, value.get_string());
      return;
    case boost::json::kind::array:
      append_array(out, value.get_array());
      return;
    case boost::json::kind::object:
      append_object(out, value.get_object());
      return;
  }
}

std::string to_json_text(const boost::json::value& value) {
  std::string out;
  append_json_text(out, value);
  return out;
}

std::string to_json_text(const boost::json::object& object) {
  std::string out;
  append_object(out, object);
  return out;
}

std::string to_json_text(const boost::json::array& array) {
  std::string out;
  append_array(out, array);
  return out;
}

}  // namespace utxoiq
