#include "api/monitoring_database.hpp"

#include <boost/json.hpp>
#include <memory>

#include "http/response.hpp"
#include "http/router.hpp"

namespace utxoiq::api {
namespace {

boost::json::object host_json(const DatabaseHost& host) {
  boost::json::object out{{"host", host.host},
                          {"role", host.role},
                          {"healthy", host.healthy()},
                          {"replication_lag_s", nullptr}};
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

}  // namespace

void add_monitoring_database_routes(http::Router& router, std::vector<DatabaseHost> hosts) {
  auto shared = std::make_shared<const std::vector<DatabaseHost>>(std::move(hosts));
  router.get("/api/v1/monitoring/database/pool",
             [shared](http::Request&) { return pool_figures(shared.get()); },
             {.name = "monitoring_database_pool",
              .body_limit = http::kDefaultBodyLimit,
              .min_role = http::Role::admin});
}

}  // namespace utxoiq::api
