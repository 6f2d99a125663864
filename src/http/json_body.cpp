// JSON request bodies (see json_body.hpp).
#include "http/json_body.hpp"

#include <cassert>
#include <string>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value.hpp>

#include "http/bounded_json_handler.hpp"
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

bool only_whitespace(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

void throw_array_too_large(bool root_is_array, const std::string& top_key) {
  if (root_is_array) throw bad_request("The request body is an array; a JSON object is expected.");
  throw unprocessable(top_key.empty() ? "body" : top_key,
                      "must have at most " + std::to_string(kMaxJsonArrayItems) + " elements");
}

boost::json::object parse_json_object(const Request& request) {
  return parse_json_object(request, {});
}

boost::json::object parse_json_object(const Request& request, boost::json::storage_ptr storage) {
  if (only_whitespace(request.body)) {
    throw bad_request("The request body is empty; a JSON object is expected.");
  }
  boost::system::error_code ec;
  boost::json::basic_parser<BoundedJsonHandler<true>> parser(boost::json::parse_options{}, storage);
  const std::size_t used = parser.write_some(false, request.body.data(), request.body.size(), ec);
  if (ec == boost::json::error::array_too_large) {
    throw_array_too_large(parser.handler().root_is_array, parser.handler().top_key);
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
