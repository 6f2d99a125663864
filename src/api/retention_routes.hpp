#pragma once
// The retention endpoints (api.md, "Monitoring"), admin only:
//   POST /api/v1/monitoring/retention/run   {"dry_run": bool (default false)} → 200 the run;
//        409 while a run is in progress (in any instance); 422 naming every invalid member.
//   GET  /api/v1/monitoring/retention/runs?limit=&cursor=  → {runs: [...], next_cursor}.
// The work is blocking (ops/retention.hpp); the service's `run` and `list` hand it to a worker
// thread and resume the handler on the event loop.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>

#include "api/api_docs.hpp"
#include "util/task.hpp"

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

struct RetentionRoutesDeps {
  // The run as ops::run_json; throws ops::RetentionBusy while another run holds the lock.
  std::function<Task<boost::json::object>(bool dry_run)> run;
  // {runs, next_cursor} of runs with id below `before` (all when nullopt), newest first.
  std::function<Task<boost::json::object>(int limit, std::optional<std::int64_t> before)> list;
};

void add_retention_routes(http::Router& router, RetentionRoutesDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
