// GET /openapi.json (see openapi_routes.hpp).
#include "api/openapi_routes.hpp"

#include <boost/json/serialize.hpp>
#include <memory>
#include <string>

#include "api/openapi.hpp"
#include "api/route_table.hpp"
#include "api/schema.hpp"
#include "http/response.hpp"

namespace utxoiq::api {

void add_openapi_routes(http::Router& router, OpenApiRoutesDeps deps, ApiDocs& docs) {
  // Built on the first request: by then every route of the server is registered.
  auto document = std::make_shared<std::string>();
  auto serve = [routes = std::move(deps.routes), &docs,
                document](http::Request&) -> Task<http::Response> {
    if (document->empty()) *document = boost::json::serialize(build_openapi(routes(), docs));
    co_return http::json_text_response(200, *document);
  };
  add_routes(router, docs,
             {{.method = http::Method::get,
               .path = "/openapi.json",
               .name = "openapi",
               .access = kOpen,
               .doc = {.summary = "This API as an OpenAPI 3.1 document",
                       .replies = {{.schema = schema::object({"openapi", "paths"},
                                                             {
                                                                 {"openapi", schema::string()},
                                                                 {"paths", {{"type", "object"}}},
                                                             })}}},
               .handler = std::move(serve)}});
}

}  // namespace utxoiq::api
