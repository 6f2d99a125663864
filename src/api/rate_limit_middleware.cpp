// The rate-limit middleware; see rate_limit_middleware.hpp.
#include "api/rate_limit_middleware.hpp"

#include <string>

#include "cache/rate_limiter.hpp"
#include "http/problem.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::api {
namespace {

void add_headers(http::Response& response, const resilience::RateLimitDecision& decision) {
  response.headers.set("RateLimit-Limit", std::to_string(decision.limit));
  response.headers.set("RateLimit-Remaining", std::to_string(decision.remaining));
  response.headers.set("RateLimit-Reset", std::to_string(decision.reset_seconds));
}

// utxoiq_rate_limit_decisions_total{outcome}: both children exist from the start (0 on a scrape).
struct DecisionCounters {
  obs::Counter& allowed;
  obs::Counter& refused;
};

DecisionCounters& decision_counters() {
  static auto& family =
      obs::default_registry().counter("utxoiq_rate_limit_decisions_total",
                                      "Rate-limit decisions on non-admin requests", {"outcome"});
  static DecisionCounters counters{family.labels({"allowed"}), family.labels({"refused"})};
  return counters;
}

Task<http::Response> limit(cache::RateLimiter* limiter, http::Request& request,
                           const http::Next& next) {
  if (!request.principal || request.principal->role == http::Role::admin) {
    co_return co_await next(request);
  }
  const resilience::RateLimitDecision decision =
      co_await limiter->acquire(request.principal->key_id, false);
  (decision.allowed ? decision_counters().allowed : decision_counters().refused).inc();
  if (!decision.allowed) {
    http::Response refused = http::problem_response(http::too_many_requests(
        decision.retry_after_seconds,
        "Rate limit reached; retry after the number of seconds in Retry-After."));
    add_headers(refused, decision);
    co_return refused;
  }
  http::Response response = co_await next(request);
  add_headers(response, decision);
  co_return response;
}

}  // namespace

http::Middleware rate_limit_middleware(cache::RateLimiter& limiter) {
  decision_counters();
  return [limiter = &limiter](http::Request& request, const http::Next& next) {
    return limit(limiter, request, next);
  };
}

}  // namespace utxoiq::api
