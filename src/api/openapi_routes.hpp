#pragma once
// GET /openapi.json (open, api.md "Health"): the document of openapi.hpp for the routes of the
// running server, /openapi.json included.
#include <functional>
#include <vector>

#include "api/api_docs.hpp"
#include "http/router.hpp"

namespace utxoiq::api {

struct OpenApiRoutesDeps {
  // The routes of the running server, asked on the first request (so routes registered after
  // this call are included); the document is built once.
  std::function<std::vector<http::RouteInfo>()> routes;
};

// `docs` must outlive the router.
void add_openapi_routes(http::Router& router, OpenApiRoutesDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
