#pragma once
// Gives every request an obs::RequestContext (request id, route) that the code it runs can read
// with obs::current_request(), e.g. the database statement observer that attributes statements
// to requests (slow statements, N+1). The rest of the request (later middleware, the handler and
// every coroutine they spawn on their executor) runs on an executor that makes the context
// current around each of its resumptions, so interleaved requests on the one service thread
// never see each other's context. `finished` is called with the context when the request ends.
// Install it first (Server::use), so everything after it is attributed.
#include <functional>
#include <memory>

#include "http/middleware.hpp"
#include "obs/request_context.hpp"

namespace utxoiq::http {

using RequestFinished = std::function<void(const obs::RequestContext&)>;

Middleware request_scope_middleware(RequestFinished finished);

// Runs `task` with `context` current around each of its resumptions (what the middleware does for
// a request); for tests and internal work.
Task<Response> run_in_request_scope(std::shared_ptr<obs::RequestContext> context,
                                    Task<Response> task);

}  // namespace utxoiq::http
