// Handler and OpenAPI description of POST /monitoring/database/publish-metrics (see the header).
// It takes no body; a body sent anyway is ignored.
#include "api/publish_metrics_route.hpp"

#include <boost/json/object.hpp>
#include <cassert>
#include "api/route_table.hpp"
#include "api/schema.hpp"

#include "http/response.hpp"
#include "http/router.hpp"

namespace utxoiq::api {

void add_publish_metrics_route(http::Router& router, PublishMetricsRouteDeps deps, ApiDocs& docs) {
  assert(deps.publish);
  add_routes(
      router, docs,
      {{.method = Method::post,
        .path = "/api/v1/monitoring/database/publish-metrics",
        .name = "monitoring_database_publish_metrics",
        .access = kAdmins,
        .doc = {.summary = "Write this instance's pool, cache, query and HTTP figures into the "
                           "metrics table (service_name utxoiq-store)",
                .replies = {{.schema = schema::object({"published"},
                                                      {{"published", schema::integer(0)}})}}},
        .handler = [publish = std::move(deps.publish)](Request&) -> Task<Response> {
          const std::int64_t published = co_await publish();
          co_return http::json_response(200, boost::json::object{{"published", published}});
        }}});
}

}  // namespace utxoiq::api
