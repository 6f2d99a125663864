#pragma once
// Gives every request an obs::RequestContext (request id, route) that the code it runs can read
// with obs::current_request(), e.g. the database statement observer that attributes statements
// to requests (slow statements, N+1) and the replica router. The server runs each connection on
// an executor that makes the connection's context current around each of its resumptions, so
// interleaved requests on the one service thread never see each other's context; this middleware
// fills that context in and marks it active for the request (nothing allocated or spawned per
// request: a cached read pays a few stores). Work a request awaits is attributed to it; work it
// leaves running in the background on its connection's executor is attributed to whatever that
// connection runs when the work resumes (background work that serves many requests, such as the
// rating batches, runs on the pool's executor: no request). Without a connection context (the
// chain called directly), the rest of the request runs on an executor of its own.
// `finished` is called with the context when the request ends. Install it first (Server::use),
// so everything after it is attributed.
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
