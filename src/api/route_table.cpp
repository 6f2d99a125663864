// See route_table.hpp.
#include "api/route_table.hpp"

#include <stdexcept>

namespace utxoiq::api {

void add_routes(http::Router& router, ApiDocs& docs, std::vector<RouteSpec> table) {
  for (RouteSpec& spec : table) {
    if (spec.name.empty() || !spec.handler) {
      throw std::invalid_argument("route " + spec.path + " needs a name and a handler");
    }
    router.add(
        spec.method, spec.path, std::move(spec.handler),
        {.name = spec.name, .body_limit = spec.body_limit, .min_role = spec.access.min_role()});
    docs.describe(std::move(spec.name), std::move(spec.doc));
  }
}

}  // namespace utxoiq::api
