#pragma once
// The one way a resource adds routes: api/<resource>_routes.cpp builds a table of RouteSpecs from
// its Deps and hands it to add_routes, which registers each entry with the router (method, path,
// role, body limit, handler) and its description with ApiDocs (for /openapi.json). A route is
// declared once, so the router and the document cannot disagree.
//
// Every route states who may call it: Access has no default, so an entry without `.access` does
// not compile (failing closed is not enough for a list this long: forgetting must be loud).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "api/api_docs.hpp"
#include "http/method.hpp"
#include "http/middleware.hpp"
#include "http/principal.hpp"
#include "http/router.hpp"

namespace utxoiq::api {

// The names every route table and handler of api/ uses.
using http::Method;
using http::Request;
using http::Response;

class Access {
 public:
  // No API key needed (/healthz, /metrics, /openapi.json).
  static constexpr Access open() { return Access(std::nullopt); }
  // A key with this role or a higher one.
  static constexpr Access at_least(http::Role role) { return Access(role); }

  constexpr std::optional<http::Role> min_role() const { return min_role_; }

 private:
  constexpr explicit Access(std::optional<http::Role> min_role) : min_role_(min_role) {}
  std::optional<http::Role> min_role_;
};

inline constexpr Access kOpen = Access::open();
inline constexpr Access kReaders = Access::at_least(http::Role::reader);
inline constexpr Access kWriters = Access::at_least(http::Role::writer);
inline constexpr Access kAdmins = Access::at_least(http::Role::admin);

struct RouteSpec {
  http::Method method;
  std::string path;
  // Label in metrics, logs and the operationId of /openapi.json ("backfill_complete").
  std::string name;
  Access access;
  // Largest body accepted (413 above it); documented with the request body.
  std::size_t body_limit = http::kDefaultBodyLimit;
  RouteDoc doc;
  http::Handler handler;
};

// Registers every entry. Throws std::invalid_argument as Router::add does, and for an entry
// without a name or handler.
void add_routes(http::Router& router, ApiDocs& docs, std::vector<RouteSpec> table);

}  // namespace utxoiq::api
