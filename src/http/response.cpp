// Response builders (see response.hpp).
#include "http/response.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include "util/json_text.hpp"

namespace utxoiq::http {
namespace {

template <typename Json>
Response make_json(int status, const Json& body) {
  return json_text_response(status, to_json_text(body));
}

}  // namespace

Response json_response(int status, const boost::json::value& body) {
  return make_json(status, body);
}

Response json_response(int status, const boost::json::object& body) {
  return make_json(status, body);
}

Response json_response(int status, const boost::json::array& body) {
  return make_json(status, body);
}

Response json_text_response(int status, std::string json_text) {
  return text_response(status, std::move(json_text), std::string(kJsonContentType));
}

Response text_response(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

Response empty_response(int status) {
  Response response;
  response.status = status;
  return response;
}

}  // namespace utxoiq::http
