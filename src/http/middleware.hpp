#pragma once
// The shapes of handlers and middleware. A request passes request id → access log → metrics →
// the middleware added with Server::use, in order → the route's handler.
//
// A middleware may answer itself (throw a Problem, or return a Response) or call next(request)
// and adjust what it returns. `next` never throws: an exception from a later stage arrives as
// its problem response, so a middleware can decorate error responses too (RateLimit-* headers).
#include <exception>
#include <functional>
#include <optional>

#include "http/problem.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "util/task.hpp"

namespace utxoiq::http {

using Handler = std::function<Task<Response>(Request&)>;
using Next = std::function<Task<Response>(Request&)>;
using Middleware = std::function<Task<Response>(Request&, const Next&)>;

// Translates an exception of a lower layer into a problem (e.g. "database unavailable" → 503 with
// Retry-After); nullopt when it does not know the exception. The http layer knows no such types,
// so the api layer registers these with Server::map_exceptions.
using ExceptionMapper = std::function<std::optional<Problem>(const std::exception&)>;

}  // namespace utxoiq::http
