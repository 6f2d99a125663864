// GET /api/v1/monitoring/database/pool (see monitoring_database_routes.hpp).
#include "api/monitoring_database_routes.hpp"

#include <boost/json.hpp>
#include <memory>

#include "api/route_table.hpp"
#include "api/schema.hpp"
#include "http/response.hpp"

namespace utxoiq::api {
namespace {

boost::json::object host_json(const DatabaseHost& host) {
  boost::json::object out{{"host", host.host},
                          {"role", host.role},
                          {"healthy", host.healthy()},
                          {"replication_lag_s", nullptr},
                          {"replay_lag_bytes", nullptr},
                          {"weight", nullptr},
                          {"reads_total", 0}};
  if (host.replication) {
    const ReplicationFigures replication = host.replication();
    if (replication.lag_s) out["replication_lag_s"] = *replication.lag_s;
    out["replay_lag_bytes"] = replication.lag_bytes;
    out["weight"] = replication.weight;
    out["reads_total"] = replication.reads_total;
  }
  const pg::PoolStats figures = host.stats().value_or(pg::PoolStats{});
  out["size"] = figures.size;
  out["active"] = figures.active;
  out["idle"] = figures.idle;
  out["waiting"] = figures.waiting;
  out["min"] = figures.min_size;
  out["max"] = figures.max_size;
  out["acquired_total"] = figures.acquired_total;
  out["acquire_timeouts_total"] = figures.acquire_timeouts_total;
  return out;
}

Task<http::Response> pool_figures(const std::vector<DatabaseHost>* hosts) {
  boost::json::array out;
  for (const DatabaseHost& host : *hosts) out.push_back(host_json(host));
  co_return http::json_response(200, boost::json::object{{"hosts", std::move(out)}});
}

boost::json::object pool_schema() {
  const auto count = schema::integer(0);
  auto host =
      schema::object({"host", "role", "healthy", "replication_lag_s", "size", "active", "idle",
                      "waiting", "min", "max", "acquired_total", "acquire_timeouts_total",
                      "replay_lag_bytes", "weight", "reads_total"},
                     {{"host", schema::string()},
                      {"role", schema::enum_of({"primary", "replica"})},
                      {"healthy", schema::boolean()},
                      {"replication_lag_s", schema::nullable(schema::number(0))},
                      {"size", count},
                      {"active", count},
                      {"idle", count},
                      {"waiting", count},
                      {"min", count},
                      {"max", count},
                      {"acquired_total", count},
                      {"acquire_timeouts_total", count},
                      {"replay_lag_bytes", schema::nullable(count)},
                      {"weight", schema::nullable(schema::number(0))},
                      {"reads_total", count}});
  return schema::object({"hosts"}, {{"hosts", schema::array_of(std::move(host))}});
}

}  // namespace

void add_monitoring_database_routes(http::Router& router, MonitoringDatabaseRoutesDeps deps,
                                    ApiDocs& docs) {
  auto hosts = std::make_shared<const std::vector<DatabaseHost>>(std::move(deps.hosts));
  add_routes(router, docs,
             {{.method = http::Method::get,
               .path = "/api/v1/monitoring/database/pool",
               .name = "monitoring_database_pool",
               .access = kAdmins,
               .doc = {.summary = "Connection pool figures of every database host",
                       .replies = {{.schema = pool_schema()}}},
               .handler = [hosts](http::Request&) { return pool_figures(hosts.get()); }}});
}

}  // namespace utxoiq::api
