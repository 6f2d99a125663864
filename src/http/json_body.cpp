// JSON request bodies (see json_body.hpp).
#include "http/json_body.hpp"

#include <cassert>
#include <string>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_stack.hpp>

#include "http/problem.hpp"

namespace utxoiq::http {
namespace {

std::string_view kind_name(boost::json::kind kind) {
  switch (kind) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "not an object";
}

// Boost.JSON's own DOM handler (a value_stack fed by basic_parser), with the array bound that
// basic_parser applies while it parses: the 10,001st element of any array stops the parse there,
// so a hostile body costs the loop microseconds, not the second a 16 MiB array took whole.
class BoundedHandler {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = kMaxJsonArrayItems;
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  explicit BoundedHandler(boost::json::storage_ptr storage) { stack.reset(std::move(storage)); }

  using ec_t = boost::system::error_code;
  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) {
    ++depth;
    return true;
  }
  bool on_object_end(std::size_t n, ec_t&) {
    --depth;
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(ec_t&) {
    if (depth == 0) root_is_array = true;
    ++depth;
    return true;
  }
  bool on_array_end(std::size_t n, ec_t&) {
    --depth;
    stack.push_array(n);
    return true;
  }
  bool on_key_part(boost::json::string_view s, std::size_t, ec_t&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t n, ec_t&) {
    // A key that arrived in parts (escapes) is not kept: then no field name, "body".
    if (depth == 1) top_key = n == s.size() ? std::string(s.data(), s.size()) : std::string();
    stack.push_key(s);
    return true;
  }
  bool on_string_part(boost::json::string_view s, std::size_t, ec_t&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, ec_t&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(boost::json::string_view, ec_t&) { return true; }
  bool on_int64(std::int64_t i, boost::json::string_view, ec_t&) {
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view, ec_t&) {
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, boost::json::string_view, ec_t&) {
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, ec_t&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(ec_t&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(boost::json::string_view, ec_t&) { return true; }
  bool on_comment(boost::json::string_view, ec_t&) { return true; }

  boost::json::value_stack stack;
  int depth = 0;
  std::string top_key;  // the last key of the top-level object: where an over-long array is
  bool root_is_array = false;
};

bool only_whitespace(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

boost::json::object parse_json_object(const Request& request) {
  return parse_json_object(request, {});
}

boost::json::object parse_json_object(const Request& request, boost::json::storage_ptr storage) {
  if (only_whitespace(request.body)) {
    throw bad_request("The request body is empty; a JSON object is expected.");
  }
  boost::system::error_code ec;
  boost::json::basic_parser<BoundedHandler> parser(boost::json::parse_options{}, storage);
  const std::size_t used = parser.write_some(false, request.body.data(), request.body.size(), ec);
  if (ec == boost::json::error::array_too_large && parser.handler().root_is_array) {
    throw bad_request("The request body is an array; a JSON object is expected.");
  }
  if (ec == boost::json::error::array_too_large) {
    throw unprocessable(parser.handler().top_key.empty() ? "body" : parser.handler().top_key,
                        "must have at most " + std::to_string(kMaxJsonArrayItems) + " elements");
  }
  if (ec) {
    throw bad_request("The request body is not valid JSON: " + ec.message() + ".");
  }
  assert(parser.done());
  // write_some stops after the first complete value; anything but white space after it is not JSON.
  if (!only_whitespace(std::string_view(request.body).substr(used))) {
    throw bad_request("The request body is not valid JSON: data follows the value.");
  }
  boost::json::value value = parser.handler().stack.release();
  if (!value.is_object()) {
    throw bad_request("The request body is " + std::string(kind_name(value.kind())) +
                      "; a JSON object is expected.");
  }
  return std::move(value.get_object());
}

}  // namespace utxoiq::http
