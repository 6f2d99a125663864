// Request-level replica routing and read-your-writes tokens; see replica_routing_middleware.hpp.
#include "api/replica_routing_middleware.hpp"

#include "http/principal.hpp"
#include "http/router.hpp"
#include "obs/request_context.hpp"
#include "pg/replica_set.hpp"

namespace utxoiq::api {

http::Middleware replica_routing_middleware(pg::ReplicaSet& replicas) {
  return [&replicas](http::Request& request, const http::Next& next) -> Task<http::Response> {
    if (!request.principal) co_return co_await next(request);  // open routes: the primary
    const std::string key = request.principal->key_id;
    const bool reads_only = request.method == http::Method::get;
    if (auto* context = obs::current_request()) {
      context->routing_key = key;
      context->reads_may_use_replicas = reads_only;
      context->critical_reads =
          request.route && request.route->options.min_role == http::Role::admin;
    }
    http::Response response = co_await next(request);
    if (!reads_only && response.status < 400) co_await replicas.record_write(key);
    co_return response;
  };
}

}  // namespace utxoiq::api
