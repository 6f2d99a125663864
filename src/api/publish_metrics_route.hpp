#pragma once
// POST /api/v1/monitoring/database/publish-metrics (api.md, "Operations", admin): writes a
// snapshot of this instance's own figures into system_metrics now (the scheduler does the same
// every minute) and answers {published: n}. What is written is app/self_metrics.hpp's business.
#include <cstdint>
#include <functional>

#include "api/api_docs.hpp"
#include "util/task.hpp"

namespace utxoiq::http {
class Router;
}

namespace utxoiq::api {

struct PublishMetricsRouteDeps {
  std::function<Task<std::int64_t>()> publish;  // returns the rows written
};

void add_publish_metrics_route(http::Router& router, PublishMetricsRouteDeps deps, ApiDocs& docs);

}  // namespace utxoiq::api
