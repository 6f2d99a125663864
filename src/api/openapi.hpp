#pragma once
// The API as an OpenAPI 3.1 document, built from the router's routes (every method + path the
// service answers) and the descriptions their route tables put in ApiDocs. GET /openapi.json
// (openapi_routes.hpp) serves it.
#include <boost/json/object.hpp>
#include <vector>

#include "api/api_docs.hpp"
#include "http/router.hpp"

namespace utxoiq::api {

// A route nobody described still appears, with its name as summary, so the document never
// misses a route.
boost::json::object build_openapi(const std::vector<http::RouteInfo>& routes, const ApiDocs& docs);

}  // namespace utxoiq::api
