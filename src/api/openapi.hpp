#pragma once
// GET /openapi.json (open, api.md "Health"): the API as an OpenAPI 3.1 document, built from the
// router's routes (every method + path the service answers, /openapi.json included) and the
// descriptions the resource files keep in ApiDocs.
#include <functional>
#include <vector>

#include <boost/json/object.hpp>

#include "api/api_docs.hpp"
#include "http/router.hpp"

namespace utxoiq::api {

// The document for these routes. Throws std::logic_error when a description holds a schema that
// is not valid JSON (a programming error; the OpenAPI test catches it).
boost::json::object build_openapi(const std::vector<http::RouteInfo>& routes, const ApiDocs& docs);

// Adds GET /openapi.json. `routes` is asked on the first request (the routes of the running
// server, so routes registered after this call are included); the document is built once.
// `docs` must outlive the router.
void add_openapi_route(http::Router& router, std::function<std::vector<http::RouteInfo>()> routes,
                       ApiDocs& docs);

}  // namespace utxoiq::api
