#include "api/health.hpp"

#include <boost/json.hpp>

#include "http/response.hpp"
#include "http/router.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::api {

void add_health_routes(http::Router& router, ReadinessProbe probe, obs::Registry& registry) {
  // The /healthz body never changes: serialize it once, so the floor of every benchmark
  // measures the server, not JSON.
  router.get("/healthz",
             [](http::Request&) -> Task<http::Response> {
               http::Response response;
               response.content_type = http::kJsonContentType;
               response.body = R"({"status":"ok"})";
               co_return response;
             },
             {.name = "healthz", .min_role = std::nullopt});

  router.get("/readyz",
             [probe = std::move(probe)](http::Request&) -> Task<http::Response> {
               const bool primary = probe.primary_up();
               boost::json::array replicas;
               if (probe.replicas_up) {
                 for (bool up : probe.replicas_up()) replicas.emplace_back(up ? "up" : "down");
               }
               boost::json::object body{
                   {"status", primary ? "ready" : "unavailable"},
                   {"database", {{"primary", primary ? "up" : "down"}, {"replicas", replicas}}},
                   {"cache", probe.cache_state ? probe.cache_state() : "disabled"},
               };
               http::Response response = http::json_response(primary ? 200 : 503, body);
               if (!primary) response.headers.set("Retry-After", "5");
               co_return response;
             },
             {.name = "readyz", .min_role = std::nullopt});

  router.get("/metrics",
             [&registry](http::Request&) -> Task<http::Response> {
               co_return http::text_response(200, registry.expose(),
                                             "text/plain; version=0.0.4; charset=utf-8");
             },
             {.name = "metrics", .min_role = std::nullopt});
}

}  // namespace utxoiq::api
