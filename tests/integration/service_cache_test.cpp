// The cache's face on the running service (ServiceUnderTest, real PostgreSQL and Redis):
// GET /api/v1/monitoring/cache in api.md's exact shape, /readyz naming the cache state (a Redis
// outage leaves the service ready), /metrics with the cache and circuit-breaker figures, and
// requests without an API key principal passing the rate limiter untouched. A binary of its own:
// it stops the Redis its tests share.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

template <typename Predicate>
bool eventually(Predicate done) {
  for (int i = 0; i < 400 && !done(); ++i) std::this_thread::sleep_for(25ms);
  return done();
}

std::string cache_state(HttpClient& client) {
  return std::string(client.get("/readyz").json().as_object().at("cache").as_string());
}

class ServiceCache : public ::testing::Test {
 protected:
  void TearDown() override { TestServers::get().start_redis(); }
};

TEST_F(ServiceCache, MonitoringCacheHasTheShapeOfTheContract) {
  ServiceUnderTest service;
  auto client = service.client();
  const auto response = client.get("/api/v1/monitoring/cache");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  const auto body = response.json().as_object();
  EXPECT_EQ(body.size(), 2u);
  EXPECT_EQ(body.at("redis").as_object().at("state").as_string(), "up");
  EXPECT_EQ(body.at("redis").as_object().size(), 1u);
  const auto& caches = body.at("caches").as_object();
  std::set<std::string> names;
  for (const auto& [name, levels] : caches) {
    names.insert(std::string(name));
    ASSERT_EQ(levels.as_object().size(), 2u) << name;
    for (const char* level : {"l1", "l2"}) {
      const auto& figures = levels.as_object().at(level).as_object();
      EXPECT_EQ(figures.size(), 5u) << name << " " << level;
      for (const char* integer : {"hits", "misses", "entries", "evictions"}) {
        EXPECT_TRUE(figures.at(integer).is_int64() || figures.at(integer).is_uint64())
            << name << " " << level << " " << integer;
      }
      EXPECT_TRUE(figures.at("hit_rate").is_null()) << "no lookup yet: null";
    }
  }
  const std::set<std::string> expected{"feedback_stats", "backfill_job", "recent_metrics",
                                       "aggregated_metrics"};
  EXPECT_EQ(names, expected);
}

TEST_F(ServiceCache, ARedisOutageLeavesTheServiceReady) {
  ServiceUnderTest service;
  auto client = service.client("");
  ASSERT_EQ(client.get("/readyz").status, 200);
  EXPECT_EQ(cache_state(client), "up");

  TestServers::get().stop_redis();
  EXPECT_TRUE(eventually([&] { return cache_state(client) == "down"; }));
  const auto degraded = client.get("/readyz");
  EXPECT_EQ(degraded.status, 200);  // degraded, never 503 for Redis
  EXPECT_EQ(degraded.json().as_object().at("status").as_string(), "ready");
  auto admin = service.client();
  EXPECT_EQ(admin.get("/api/v1/monitoring/cache")
                .json()
                .as_object()
                .at("redis")
                .as_object()
                .at("state")
                .as_string(),
            "down");

  TestServers::get().start_redis();
  EXPECT_TRUE(eventually([&] { return cache_state(client) == "up"; }));
}

TEST_F(ServiceCache, WithoutRedisTheCacheIsDisabled) {
  ServiceUnderTestOptions options;
  options.redis = false;
  ServiceUnderTest service(options);
  auto client = service.client();
  EXPECT_EQ(cache_state(client), "disabled");
  EXPECT_EQ(client.get("/readyz").status, 200);
  EXPECT_EQ(client.get("/api/v1/monitoring/cache")
                .json()
                .as_object()
                .at("redis")
                .as_object()
                .at("state")
                .as_string(),
            "disabled");
}

TEST_F(ServiceCache, MetricsCarryTheCacheAndBreakerFigures) {
  ServiceUnderTest service;
  auto client = service.client("");
  const auto metrics = client.get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  for (const char* expected :
       {"utxoiq_cache_hits_total{cache=\"feedback_stats\",level=\"l1\"}",
        "utxoiq_cache_misses_total{cache=\"backfill_job\",level=\"l2\"}",
        "utxoiq_cache_evictions_total{cache=\"recent_metrics\",level=\"l1\"}",
        "utxoiq_cache_entries{cache=\"aggregated_metrics\",level=\"l1\"}",
        "utxoiq_circuit_breaker_state{breaker=\"postgres_primary\",state=\"closed\"} 1",
        "utxoiq_circuit_breaker_state{breaker=\"postgres_primary\",state=\"open\"} 0",
        "utxoiq_circuit_breaker_state{breaker=\"redis\",state=\"closed\"} 1",
        "utxoiq_redis_up 1"}) {
    EXPECT_NE(metrics.body.find(expected), std::string::npos) << expected;
  }
}

TEST_F(ServiceCache, RequestsWithoutAPrincipalAreNotRateLimited) {
  ServiceUnderTestOptions options;
  options.configure = [](app::ServeConfig& c) { c.rate_limit.per_key = 2; };
  ServiceUnderTest service(options);
  auto client = service.client("");
  for (int i = 0; i < 20; ++i) {
    const auto r = client.get("/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.has_header("RateLimit-Limit"));
  }
}

}  // namespace
}  // namespace utxoiq::testing
