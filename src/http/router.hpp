#pragma once
// Routes by method and path pattern. Patterns are literal segments and whole-segment parameters:
//   /api/v1/monitoring/backfill/{job_id}/complete
// A literal segment wins over a parameter (…/backfill/status before …/backfill/{job_id}); a path
// that no pattern matches is 404, a path that matches only with other methods is 405 with Allow.
// HEAD is served by the GET route when no HEAD route is given (the server sends no body).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/method.hpp"
#include "http/middleware.hpp"
#include "http/principal.hpp"

namespace utxoiq::http {

inline constexpr std::size_t kDefaultBodyLimit = 1024 * 1024;  // api.md: 1 MiB

struct RouteOptions {
  // Label of the route in metrics and logs ("backfill_complete"); the pattern when empty.
  std::string name;
  // Largest request body accepted; a larger one gets 413 before it is read.
  std::size_t body_limit = kDefaultBodyLimit;
  // The least role a caller needs; nullopt: open, no API key needed (/healthz, /metrics).
  // Checked by the auth middleware the app adds; the router only carries it. Admin unless said
  // otherwise: a route added without thinking about its role fails closed.
  std::optional<Role> min_role = Role::admin;
};

struct Route {
  Method method;
  std::string pattern;
  RouteOptions options;
  Handler handler;
  std::vector<std::string> param_names;  // in path order
};

struct RouteMatch {
  // The route for this method and path; nullptr when none.
  const Route* route = nullptr;
  // Path parameters of `route`, percent-decoded, in path order.
  std::vector<std::pair<std::string_view, std::string>> params;
  // When route is nullptr but the path exists for other methods: "GET, HEAD, POST" (for 405).
  std::string allow;
};

// A route as listed by routes(), for /openapi.json and its test.
struct RouteInfo {
  Method method;
  std::string pattern;
  RouteOptions options;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Adds a route. Throws std::invalid_argument for a malformed pattern (must start with '/',
  // parameters are whole segments "{name}" with name of [A-Za-z0-9_], no name twice) or a
  // method + pattern that is already routed (patterns differing only in parameter names count
  // as the same).
  const Route& add(Method method, std::string_view pattern, Handler handler,
                   RouteOptions options = {});
  const Route& get(std::string_view pattern, Handler handler, RouteOptions options = {}) {
    return add(Method::get, pattern, std::move(handler), std::move(options));
  }
  const Route& post(std::string_view pattern, Handler handler, RouteOptions options = {}) {
    return add(Method::post, pattern, std::move(handler), std::move(options));
  }
  const Route& del(std::string_view pattern, Handler handler, RouteOptions options = {}) {
    return add(Method::delete_, pattern, std::move(handler), std::move(options));
  }

  // Matches a percent-encoded path (no query). Segments are decoded one by one, so an encoded
  // '/' (%2F) stays inside its parameter.
  RouteMatch match(Method method, std::string_view encoded_path) const;

  // Every route in the order added.
  std::vector<RouteInfo> routes() const;

 private:
  struct Node;
  std::vector<std::unique_ptr<Route>> routes_;
  std::unique_ptr<Node> root_;
};

}  // namespace utxoiq::http
