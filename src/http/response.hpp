#pragma once
// An HTTP response as handlers build it; the server adds Content-Length, Connection and
// X-Request-Id. Only the Boost.JSON forward declarations are pulled in here.
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "http/headers.hpp"

namespace utxoiq::http {

struct Response {
  int status = 200;
  // Sent as Content-Type when not empty.
  std::string content_type;
  std::string body;
  // Extra header fields (Retry-After, RateLimit-*, Location, Allow, ...).
  Headers headers;
};

inline constexpr std::string_view kJsonContentType = "application/json";
inline constexpr std::string_view kProblemContentType = "application/problem+json";

// The value serialized as the body, Content-Type application/json.
Response json_response(int status, const boost::json::value& body);
Response json_response(int status, const boost::json::object& body);
Response json_response(int status, const boost::json::array& body);
// A body that is already JSON text (a cached or stored answer), sent as it is with Content-Type
// application/json. Every raw-JSON answer goes through here.
Response json_text_response(int status, std::string json_text);
// A text body (e.g. the Prometheus exposition) with the given Content-Type.
Response text_response(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
// No body (e.g. 204).
Response empty_response(int status);

}  // namespace utxoiq::http
