// The open health routes (see health_routes.hpp). /healthz answers a constant body serialized
// once, so the floor of every benchmark measures the server, not JSON.
#include "api/health_routes.hpp"

#include <boost/json.hpp>

#include "api/route_table.hpp"
#include "api/schema.hpp"
#include "http/response.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::api {

namespace {

http::Response readiness(const ReadinessProbe& probe) {
  const bool primary = probe.primary_up();
  boost::json::array replicas;
  if (probe.replicas) {
    for (const auto& replica : probe.replicas()) {
      boost::json::object one{{"host", replica.host}, {"state", replica.state}};
      if (replica.lag_s) {
        one["lag_s"] = *replica.lag_s;
      } else {
        one["lag_s"] = nullptr;
      }
      replicas.push_back(std::move(one));
    }
  }
  boost::json::object body{
      {"status", primary ? "ready" : "unavailable"},
      {"database", {{"primary", primary ? "up" : "down"}, {"replicas", replicas}}},
      {"cache", probe.cache_state ? probe.cache_state() : "disabled"},
  };
  http::Response response = http::json_response(primary ? 200 : 503, body);
  if (!primary) response.headers.set("Retry-After", "5");
  return response;
}

boost::json::object readiness_schema() {
  const auto up_down = schema::enum_of({"up", "down"});
  auto replica = schema::object({"host", "state", "lag_s"},
                                {{"host", schema::string()},
                                 {"state", schema::enum_of({"up", "down", "lagging"})},
                                 {"lag_s", schema::nullable(schema::number(0))}});
  return schema::object(
      {"status", "database", "cache"},
      {{"status", schema::enum_of({"ready", "unavailable"})},
       {"database",
        schema::object({"primary", "replicas"},
                       {{"primary", up_down}, {"replicas", schema::array_of(std::move(replica))}})},
       {"cache", schema::enum_of({"up", "down", "disabled"})}});
}

}  // namespace

void add_health_routes(http::Router& router, HealthRoutesDeps deps, ApiDocs& docs) {
  using http::Method;
  const auto readiness_body = readiness_schema();
  add_routes(
      router, docs,
      {
          {.method = Method::get,
           .path = "/healthz",
           .name = "healthz",
           .access = kOpen,
           .doc = {.summary = "Liveness: 200 while the process serves",
                   .replies = {{.schema = schema::object({"status"},
                                                         {{"status", schema::enum_of({"ok"})}})}}},
           .handler = [](http::Request&) -> Task<http::Response> {
             co_return http::json_text_response(200, R"({"status":"ok"})");
           }},
          {.method = Method::get,
           .path = "/readyz",
           .name = "readyz",
           .access = kOpen,
           .doc = {.summary = "Readiness: 200 when the primary database answers",
                   .replies = {{.status = 200, .schema = readiness_body},
                               {.status = 503,
                                .description = "The primary database does not answer",
                                .schema = readiness_body}}},
           .handler = [probe = std::move(deps.probe)](http::Request&) -> Task<http::Response> {
             co_return readiness(probe);
           }},
          {.method = Method::get,
           .path = "/metrics",
           .name = "metrics",
           .access = kOpen,
           .doc = {.summary = "Prometheus text exposition",
                   .replies = {{.schema = schema::string(),
                                .content_type = "text/plain; version=0.0.4"}}},
           .handler = [&registry = deps.registry, exposition = std::move(deps.exposition)](
                          http::Request&) -> Task<http::Response> {
             // An if, not ?:: GCC 12 destroys a co_await's result twice inside a conditional
             // expression.
             std::string text;
             if (exposition) {
               text = co_await exposition();
             } else {
               text = registry.expose();
             }
             co_return http::text_response(200, std::move(text),
                                           "text/plain; version=0.0.4; charset=utf-8");
           }},
      });
}

}  // namespace utxoiq::api
