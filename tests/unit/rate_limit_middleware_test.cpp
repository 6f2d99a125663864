// The rate-limit middleware over the limiter's in-process path (a disabled Redis client: the
// fallback decides, on a hand-driven clock): which requests are limited, the RateLimit-* headers on
// every response to a non-admin key (error responses too), the 429 with Retry-After, admin keys
// and requests without a principal passing untouched.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string>

#include "api/rate_limit_middleware.hpp"
#include "cache/distributed_rate_limiter.hpp"
#include "cache/redis_client.hpp"
#include "http/problem.hpp"
#include "http/request.hpp"
#include "support/run_task.hpp"

namespace utxoiq::api {
namespace {

using namespace std::chrono_literals;
using resilience::ManualClock;
using testing::run_task;

class RateLimitMiddlewareTest : public ::testing::Test {
 protected:
  RateLimitMiddlewareTest()
      : redis_(io_, cache::RedisClientOptions{}),
        limiter_(redis_, limiter_options()),
        middleware_(rate_limit_middleware(limiter_)) {}

  cache::DistributedRateLimiterOptions limiter_options() {
    cache::DistributedRateLimiterOptions o;
    o.limits.per_key_limit = 3;
    o.limits.global_limit = 5;
    o.limits.window = 60s;
    o.fallback_clock = clock_.fn();
    return o;
  }

  http::Response call(std::optional<http::Principal> principal, int handler_status = 200) {
    http::Request request = http::make_request(http::Method::get, "/api/v1/feedback");
    request.principal = std::move(principal);
    const http::Next next = [this, handler_status](http::Request&) -> Task<http::Response> {
      ++handled_;
      if (handler_status >= 400) co_return http::problem_response(http::not_found());
      co_return http::text_response(handler_status, "ok");
    };
    return run_task(io_, middleware_(request, next));
  }
  static http::Principal key(std::string id, http::Role role = http::Role::reader) {
    return http::Principal{.key_id = std::move(id), .role = role};
  }
  static std::string header(const http::Response& r, std::string_view name) {
    return std::string(r.headers.get(name).value_or(""));
  }

  boost::asio::io_context io_;
  ManualClock clock_;
  cache::RedisClient redis_;
  cache::DistributedRateLimiter limiter_;
  http::Middleware middleware_;
  int handled_ = 0;
};

TEST_F(RateLimitMiddlewareTest, EveryResponseToANonAdminKeyCarriesTheHeaders) {
  const auto r = call(key("k1"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "RateLimit-Limit"), "3");
  EXPECT_EQ(header(r, "RateLimit-Remaining"), "2");
  EXPECT_EQ(header(r, "RateLimit-Reset"), "60");
  clock_.advance(10s);
  const auto second = call(key("k1"));
  EXPECT_EQ(header(second, "RateLimit-Remaining"), "1");
  EXPECT_EQ(header(second, "RateLimit-Reset"), "50");  // the first one leaves the window then
}

TEST_F(RateLimitMiddlewareTest, ErrorResponsesOfLaterStagesCarryThemToo) {
  const auto r = call(key("k1"), 404);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(header(r, "RateLimit-Limit"), "3");
  EXPECT_EQ(header(r, "RateLimit-Remaining"), "2");
}

TEST_F(RateLimitMiddlewareTest, OverTheLimitIs429WithRetryAfterAndTheHandlerDoesNotRun) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call(key("k1")).status, 200);
  clock_.advance(20s);
  const auto refused = call(key("k1"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.content_type, "application/problem+json");
  EXPECT_EQ(header(refused, "Retry-After"), "40");
  EXPECT_EQ(header(refused, "RateLimit-Remaining"), "0");
  EXPECT_EQ(header(refused, "RateLimit-Reset"), "40");
  EXPECT_EQ(handled_, 3);
  clock_.advance(40s);  // the first admissions leave the window
  EXPECT_EQ(call(key("k1")).status, 200);
}

TEST_F(RateLimitMiddlewareTest, TheGlobalLimitSpansKeys) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call(key("k1")).status, 200);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(call(key("k2")).status, 200);
  const auto refused = call(key("k3"));  // k3's first request, but 5 in the window overall
  EXPECT_EQ(refused.status, 429);
  EXPECT_FALSE(header(refused, "Retry-After").empty());
}

TEST_F(RateLimitMiddlewareTest, AdminKeysAreNeitherLimitedNorCountedNorGivenHeaders) {
  for (int i = 0; i < 50; ++i) {
    const auto r = call(key("root", http::Role::admin));
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.headers.contains("RateLimit-Limit"));
  }
  // The admin's 50 requests left the global budget of 5 untouched.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call(key("k1")).status, 200);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(call(key("k2")).status, 200);
}

TEST_F(RateLimitMiddlewareTest, RequestsWithoutAPrincipalPassUntouched) {
  for (int i = 0; i < 20; ++i) {
    const auto r = call(std::nullopt);
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.headers.contains("RateLimit-Limit"));
  }
  EXPECT_EQ(handled_, 20);
  EXPECT_EQ(call(key("k1")).status, 200);  // and counted toward nothing
}

TEST_F(RateLimitMiddlewareTest, WithoutRedisTheFallbackDecides) {
  call(key("k1"));
  EXPECT_EQ(limiter_.counters().fallback_decisions, 1u);
  EXPECT_EQ(limiter_.counters().redis_decisions, 0u);
}

}  // namespace
}  // namespace utxoiq::api
