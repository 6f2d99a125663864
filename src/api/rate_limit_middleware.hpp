#pragma once
// Rate limits on the API (api.md, "Rate limits"): added with Server::use AFTER the auth middleware,
// whose request.principal it reads.
//  - no principal (open routes, or a request auth will refuse): passed through, unlimited, no
//    headers (nothing to count it against);
//  - an admin key: passed through, not limited, not counted toward the global limit, no headers;
//  - any other key: one decision of the limiter (per key and global together); every response —
//    error responses from later stages included — carries RateLimit-Limit (the per-key limit),
//    RateLimit-Remaining and RateLimit-Reset (whole seconds); a refused request gets 429
//    problem+json with an integer Retry-After, and the handler is not run. Each decision is counted
//    in utxoiq_rate_limit_decisions_total{outcome="allowed"|"refused"}.
#include "http/middleware.hpp"

namespace utxoiq::cache {
class RateLimiter;
}

namespace utxoiq::api {

// `limiter` must outlive the server.
http::Middleware rate_limit_middleware(cache::RateLimiter& limiter);

}  // namespace utxoiq::api
