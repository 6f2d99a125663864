#pragma once
// GET /api/v1/monitoring/database/queries (api.md, "Operations", admin): the statement statistics
// of this instance (most total time first), its last slow statements with their plans and its
// last N+1 reports, from pg::QueryInsight. Figures are per instance and since its start.
#include "api/api_docs.hpp"

namespace utxoiq::http {
class Router;
}
namespace utxoiq::pg {
class QueryInsight;
}

namespace utxoiq::api {

struct MonitoringQueriesRoutesDeps {
  const pg::QueryInsight& insight;
};

void add_monitoring_queries_routes(http::Router& router, MonitoringQueriesRoutesDeps deps,
                                   ApiDocs& docs);

}  // namespace utxoiq::api
