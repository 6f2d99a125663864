#pragma once
// The authentication middleware (api.md, "Authentication and roles"): for every route with a
// min_role it requires an API key — `Authorization: Bearer <key>` or `X-API-Key: <key>` — and a
// role at least min_role. No key, or an unknown or revoked one: 401 problem+json with
// WWW-Authenticate; a role too low: 403. The caller's principal goes into request.principal for
// the stages after it (rate limiting). Open routes (min_role nullopt) and requests no route
// matched (404/405) pass untouched. With a cache::FailedAuthLimiter, an address with too many
// failures gets 429 before its key is looked at, and a failure the limiter says is over the limit
// gets 429 instead of 401 (see cache/distributed_failed_auth_limiter.hpp).
#include <optional>
#include <string_view>

#include "api/authenticator.hpp"
#include "cache/failed_auth_limiter.hpp"
#include "http/middleware.hpp"

namespace utxoiq::api {

// `authenticator` and `failures` (optional) must outlive the server.
http::Middleware make_auth_middleware(Authenticator& authenticator,
                                      cache::FailedAuthLimiter* failures = nullptr);

// The key the request presents: the Bearer token of Authorization (scheme case-insensitive), else
// X-API-Key; nullopt when neither holds a non-empty key.
std::optional<std::string_view> presented_api_key(const http::Request& request);

}  // namespace utxoiq::api
