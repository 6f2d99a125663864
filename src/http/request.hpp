#pragma once
// An HTTP request as handlers and middleware see it: no Beast types, so the api layer and its
// tests build one by hand (make_request) and never include the server's headers.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/headers.hpp"
#include "http/method.hpp"
#include "http/principal.hpp"

namespace utxoiq::http {

struct Route;

class Request {
 public:
  Method method = Method::get;
  // As received: "/api/v1/feedback?insight_id=a%20b".
  std::string target;
  // The path, percent-decoded: "/api/v1/feedback".
  std::string path;
  // The query after '?', still percent-encoded (empty without one).
  std::string raw_query;
  // The query parameters, percent-decoded, in order; a name may repeat. A '+' stays a '+'
  // (RFC 3986 gives it no meaning): timestamps like 2026-01-01T00:00:00+00:00 work unencoded,
  // and a space must be sent as %20.
  std::vector<std::pair<std::string, std::string>> query_params;
  Headers headers;
  std::string body;
  // The client's X-Request-Id when valid, else a new one; set before any middleware runs.
  std::string request_id;
  // The peer's IP address (empty when unknown, e.g. in tests).
  std::string remote_address;

  // Set by the router before the middleware runs. route == nullptr means no route matched: the
  // request ends in 404, or 405 when allowed_methods is not empty.
  const Route* route = nullptr;
  std::string_view route_name;
  std::vector<std::pair<std::string_view, std::string>> path_params;
  std::string allowed_methods;

  // Filled by the auth middleware; empty for open routes and unauthenticated calls.
  std::optional<Principal> principal;

  // The first value of a query parameter ("" for `?flag` or `?flag=`); nullopt when absent.
  std::optional<std::string_view> query(std::string_view name) const;
  // Every value of a query parameter, in order.
  std::vector<std::string_view> query_all(std::string_view name) const;
  // The first header of that name (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
  // A path parameter of the matched route, percent-decoded ("job_id" of
  // /api/v1/monitoring/backfill/{job_id}/complete). Throws std::out_of_range when the route has no
  // parameter of that name: that is a programming error, not a client's.
  std::string_view param(std::string_view name) const;
  std::optional<std::string_view> find_param(std::string_view name) const;
};

// Sets target, path, raw_query and query_params from a request target in origin form
// ("/path?query"). Throws Problem 400 when the target is not a valid one.
void set_target(Request& request, std::string_view target);

// A request for tests and internal calls: method, target (parsed as by set_target) and body.
Request make_request(Method method, std::string_view target, std::string body = {});

}  // namespace utxoiq::http
