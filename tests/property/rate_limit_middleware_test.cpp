// The rate-limit middleware under random arrival sequences (keys, roles, requests without a
// principal, gaps), with random limits and windows, over the limiter's in-process path on a
// hand-driven clock. Checked from the HTTP responses alone:
//  - no interval of one window ever holds more admitted requests of a key than the per-key limit,
//    nor more admitted non-admin requests overall than the global limit;
//  - admin keys and requests without a principal are always served, never carry RateLimit-*;
//  - every response to another key carries RateLimit-Limit (the per-key limit),
//    RateLimit-Remaining and RateLimit-Reset as integers (Reset >= 1), and a refusal is 429 with an
//    integer Retry-After >= 1.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/rate_limit_middleware.hpp"
#include "cache/distributed_rate_limiter.hpp"
#include "cache/redis_client.hpp"
#include "http/request.hpp"
#include "support/run_task.hpp"

namespace utxoiq::api {
namespace {

using resilience::ManualClock;
using std::chrono::milliseconds;

struct Arrival {
  int gap_ms;
  int key;   // 0..3; 4 = no principal
  int role;  // 0 reader, 1 writer, 2 admin
};

std::ostream& operator<<(std::ostream& os, const Arrival& a) {
  return os << "+" << a.gap_ms << "ms key" << a.key << " role" << a.role;
}

bool is_integer(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

RC_GTEST_PROP(RateLimitMiddleware, NoWindowAdmitsMoreThanTheLimitsAndAdminsAreNeverLimited, ()) {
  const auto per_key = *rc::gen::inRange<std::uint32_t>(1, 6);
  const auto global = *rc::gen::inRange<std::uint32_t>(1, 10);
  const auto window_ms = *rc::gen::inRange(200, 5000);
  const auto arrivals = *rc::gen::container<std::vector<Arrival>>(
      *rc::gen::inRange(1, 200),
      rc::gen::apply(
          [](int gap, int key, int role) {
            return Arrival{gap, key, role};
          },
          rc::gen::weightedOneOf<int>(
              {{3, rc::gen::just(0)}, {5, rc::gen::inRange(0, window_ms / 2)}}),
          rc::gen::inRange(0, 5), rc::gen::inRange(0, 3)));

  boost::asio::io_context io;
  ManualClock clock;
  cache::RedisClient disabled(io, cache::RedisClientOptions{});
  cache::DistributedRateLimiterOptions options;
  options.limits.per_key_limit = per_key;
  options.limits.global_limit = global;
  options.limits.window = milliseconds(window_ms);
  options.fallback_clock = clock.fn();
  cache::DistributedRateLimiter limiter(disabled, options);
  const http::Middleware middleware = rate_limit_middleware(limiter);
  const http::Next next = [](http::Request&) -> Task<http::Response> {
    co_return http::text_response(200, "ok");
  };

  std::int64_t now_ms = 0;
  std::map<int, std::vector<std::int64_t>> admitted_per_key;
  std::vector<std::int64_t> admitted_all;
  for (const Arrival& a : arrivals) {
    clock.advance(milliseconds(a.gap_ms));
    now_ms += a.gap_ms;
    http::Request request = http::make_request(http::Method::get, "/api/v1/feedback");
    const bool anonymous = a.key == 4;
    const bool admin = a.role == 2;
    if (!anonymous) {
      request.principal = http::Principal{.key_id = "key-" + std::to_string(a.key),
                                          .role = static_cast<http::Role>(a.role)};
    }
    const http::Response r = testing::run_task(io, middleware(request, next));
    if (anonymous || admin) {
      RC_ASSERT(r.status == 200);
      RC_ASSERT(!r.headers.contains("RateLimit-Limit"));
      RC_ASSERT(!r.headers.contains("RateLimit-Remaining"));
      continue;
    }
    RC_ASSERT(r.headers.get("RateLimit-Limit") ==
              std::optional<std::string_view>(std::to_string(per_key)));
    const auto remaining = r.headers.get("RateLimit-Remaining");
    const auto reset = r.headers.get("RateLimit-Reset");
    RC_ASSERT(remaining && is_integer(*remaining));
    RC_ASSERT(reset && is_integer(*reset) && std::stoll(std::string(*reset)) >= 1);
    if (r.status == 429) {
      const auto retry = r.headers.get("Retry-After");
      RC_ASSERT(retry && is_integer(*retry) && std::stoll(std::string(*retry)) >= 1);
      RC_ASSERT(*remaining == "0");
      continue;
    }
    RC_ASSERT(r.status == 200);
    admitted_per_key[a.key].push_back(now_ms);
    admitted_all.push_back(now_ms);
  }

  // Any window (t - window, t] holds at most the limit: check the window ending at each admission.
  const auto max_in_window = [&](const std::vector<std::int64_t>& times) {
    std::size_t most = 0;
    for (std::size_t end = 0, begin = 0; end < times.size(); ++end) {
      while (times[begin] <= times[end] - window_ms) ++begin;
      most = std::max(most, end - begin + 1);
    }
    return most;
  };
  for (const auto& [key, times] : admitted_per_key) RC_ASSERT(max_in_window(times) <= per_key);
  RC_ASSERT(max_in_window(admitted_all) <= global);
  RC_CLASSIFY(admitted_all.size() < arrivals.size(), "some refused");
}

}  // namespace
}  // namespace utxoiq::api
