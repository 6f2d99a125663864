// Handler and OpenAPI description of POST /monitoring/database/publish-metrics (see the header).
// It takes no body; a body sent anyway is ignored.
#include "api/publish_metrics_route.hpp"

#include <boost/json/object.hpp>
#include <cassert>

#include "http/response.hpp"
#include "http/router.hpp"

namespace utxoiq::api {

void add_publish_metrics_route(http::Router& router, PublishMetricsRouteDeps deps, ApiDocs& docs) {
  assert(deps.publish);
  docs.describe("monitoring_database_publish_metrics",
                {.summary = "Write this instance's pool, cache, query and HTTP figures into "
                            "the metrics table (service_name utxoiq-store)",
                 .response = R"({"type": "object", "required": ["published"],
    "properties": {"published": {"type": "integer", "minimum": 0}}})"});
  router.post("/api/v1/monitoring/database/publish-metrics",
              [publish = std::move(deps.publish)](http::Request&) -> Task<http::Response> {
                const std::int64_t published = co_await publish();
                co_return http::json_response(200, boost::json::object{{"published", published}});
              },
              {.name = "monitoring_database_publish_metrics",
               .body_limit = http::kDefaultBodyLimit,
               .min_role = http::Role::admin});
}

}  // namespace utxoiq::api
