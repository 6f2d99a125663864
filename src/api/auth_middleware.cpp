// See auth_middleware.hpp.
#include "api/auth_middleware.hpp"

#include "http/router.hpp"

namespace utxoiq::api {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// Counts a failed authentication of the request's address; throws the 401 `problem`, or a 429 when
// the limiter says the address was already over its limit.
Task<void> refuse(cache::FailedAuthLimiter* failures, const http::Request& request,
                  http::Problem problem) {
  if (failures) {
    if (const auto retry_after = co_await failures->record_failure(request.remote_address)) {
      throw http::too_many_requests(*retry_after, "Too many failed authentications.");
    }
  }
  throw problem;
}

}  // namespace

std::optional<std::string_view> presented_api_key(const http::Request& request) {
  if (const auto authorization = request.header("Authorization")) {
    constexpr std::string_view kScheme = "bearer ";
    const std::string_view value = trim(*authorization);
    if (value.size() > kScheme.size() && http::iequals(value.substr(0, kScheme.size()), kScheme)) {
      const std::string_view token = trim(value.substr(kScheme.size()));
      if (!token.empty()) return token;
    }
  }
  if (const auto header = request.header("X-API-Key")) {
    const std::string_view token = trim(*header);
    if (!token.empty()) return token;
  }
  return std::nullopt;
}

http::Middleware make_auth_middleware(Authenticator& authenticator,
                                      cache::FailedAuthLimiter* failures) {
  return [&authenticator, failures](http::Request& request,
                                    const http::Next& next) -> Task<http::Response> {
    if (request.route == nullptr || !request.route->options.min_role) {
      co_return co_await next(request);
    }
    if (failures) {
      if (const auto retry_after = failures->blocked(request.remote_address)) {
        throw http::too_many_requests(*retry_after, "Too many failed authentications.");
      }
    }
    const auto key = presented_api_key(request);
    if (!key) co_await refuse(failures, request, http::unauthorized());
    auto principal = co_await authenticator.authenticate(*key);
    if (!principal) {
      co_await refuse(failures, request,
                      http::unauthorized("The API key is not valid or has been revoked."));
    }
    if (!http::role_allows(principal->role, *request.route->options.min_role)) {
      throw http::forbidden();
    }
    request.principal = std::move(principal);
    co_return co_await next(request);
  };
}

}  // namespace utxoiq::api
