// JSON request bodies (see json_body.hpp).
#include "http/json_body.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

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

boost::json::object parse_json_object(const Request& request) {
  return parse_json_object(request, {});
}

boost::json::object parse_json_object(const Request& request, boost::json::storage_ptr storage) {
  if (only_whitespace(request.body)) {
    throw bad_request("The request body is empty; a JSON object is expected.");
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec, std::move(storage));
  if (ec) {
    throw bad_request("The request body is not valid JSON: " + ec.message() + ".");
  }
  if (!value.is_object()) {
    throw bad_request("The request body is " + std::string(kind_name(value.kind())) +
                      "; a JSON object is expected.");
  }
  return std::move(value.get_object());
}

}  // namespace utxoiq::http
