#pragma once
// GET /api/v1/monitoring/database/indexes (api.md, "Operations", admin): the index advisor's
// answer (ops/index_advisor.hpp) for this instance's slow and most expensive statements. The
// advisor runs on a blocking connection off the event loop; the app wires `advise` to do so.
#include <boost/json/object.hpp>
#include <functional>

#include "api/api_docs.hpp"
#include "ops/index_advisor.hpp"
#include "util/task.hpp"

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

struct MonitoringIndexesRoutesDeps {
  std::function<Task<ops::IndexAdvice>()> advise;
};

void add_monitoring_indexes_routes(http::Router& router, MonitoringIndexesRoutesDeps deps,
                                   ApiDocs& docs);

// {suggestions, unused, duplicates, invalid, hypopg}: the route's body, also printed by the CLI.
boost::json::object index_advice_json(const ops::IndexAdvice& advice);

}  // namespace utxoiq::api
