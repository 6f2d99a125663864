// The service as a client sees it, in-process on a real PostgreSQL and Redis: the open routes
// (/healthz, /readyz, /metrics), the pool figures for admins, problem+json for unknown routes,
// X-Request-Id, and a restart on the same database and port.
#include <gtest/gtest.h>

#include <string>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

TEST(ServiceHttp, HealthzIsOkWithoutAKey) {
  ServiceUnderTest service;
  auto client = service.client("");
  const auto response = client.get("/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  EXPECT_EQ(response.body, R"({"status":"ok"})");
}

TEST(ServiceHttp, ReadyzNamesEachComponent) {
  ServiceUnderTest service;
  auto client = service.client("");
  const auto response = client.get("/readyz");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = response.json().as_object();
  EXPECT_EQ(body.at("status").as_string(), "ready");
  EXPECT_EQ(body.at("database").as_object().at("primary").as_string(), "up");
  EXPECT_TRUE(body.at("database").as_object().at("replicas").is_array());
  EXPECT_TRUE(body.contains("cache"));
}

TEST(ServiceHttp, MetricsCountRequestsByRoute) {
  ServiceUnderTest service;
  auto client = service.client("");
  ASSERT_EQ(client.get("/healthz").status, 200);
  const auto response = client.get("/metrics");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(response.body.find("http_requests_total{"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("route=\"healthz\""), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("utxoiq_db_pool_"), std::string::npos) << response.body;
}

TEST(ServiceHttp, ThePoolFiguresOfThePrimaryAreForAdmins) {
  ServiceUnderTestOptions options;
  options.configure = [](app::ServeConfig& c) {
    c.pool.min_size = 3;
    c.pool.max_size = 7;
  };
  ServiceUnderTest service(options);
  const std::string path = "/api/v1/monitoring/database/pool";
  EXPECT_EQ(service.client("").get(path).status, 401);
  EXPECT_EQ(service.client(create_api_key(service.database_url(), "writer").key).get(path).status,
            403);

  auto admin = service.client();
  ASSERT_EQ(admin.get("/api/v1/feedback/stats?insight_id=pool-figures").status, 200);
  const auto response = admin.get(path);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto hosts = response.json().as_object().at("hosts").as_array();
  ASSERT_EQ(hosts.size(), 1u);
  const auto& primary = hosts[0].as_object();
  EXPECT_EQ(primary.at("role").as_string(), "primary");
  EXPECT_TRUE(primary.at("healthy").as_bool());
  EXPECT_EQ(primary.at("min").as_int64(), 3);
  EXPECT_EQ(primary.at("max").as_int64(), 7);
  EXPECT_GE(primary.at("size").as_int64(), 3);
  EXPECT_EQ(primary.at("size").as_int64(),
            primary.at("active").as_int64() + primary.at("idle").as_int64());
  EXPECT_EQ(primary.at("waiting").as_int64(), 0);
  EXPECT_GE(primary.at("acquired_total").as_int64(), 1);  // the stats read at least
  EXPECT_EQ(primary.at("acquire_timeouts_total").as_int64(), 0);
  EXPECT_TRUE(primary.at("replication_lag_s").is_null());  // a primary lags nobody
  const std::string host(primary.at("host").as_string());
  EXPECT_NE(host.find(':'), std::string::npos) << host;  // "where:port"
  EXPECT_EQ(host.find('@'), std::string::npos) << host;
  EXPECT_EQ(host.find("password"), std::string::npos) << host;
}

TEST(ServiceHttp, UnknownRouteIsProblemJson404) {
  ServiceUnderTest service;
  auto client = service.client("");
  const auto response = client.get("/api/v1/no/such/route");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
  const auto body = response.json().as_object();
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_TRUE(body.at("errors").as_array().empty());
}

TEST(ServiceHttp, RequestIdIsEchoedWhenSafeAndMadeOtherwise) {
  ServiceUnderTest service;
  auto client = service.client("");
  EXPECT_EQ(client.get("/healthz", {{"X-Request-Id", "abc-123"}}).header("X-Request-Id"),
            "abc-123");
  const auto replaced = client.get("/healthz", {{"X-Request-Id", "not safe!"}});
  EXPECT_FALSE(replaced.header("X-Request-Id").empty());
  EXPECT_NE(replaced.header("X-Request-Id"), "not safe!");
  EXPECT_FALSE(client.get("/healthz").header("X-Request-Id").empty());
}

TEST(ServiceHttp, ServesAgainAfterARestartOnTheSamePort) {
  ServiceUnderTest service;
  const auto port = service.port();
  service.restart();
  EXPECT_EQ(service.port(), port);
  auto client = service.client("");
  EXPECT_EQ(client.get("/readyz").status, 200);
}

}  // namespace
}  // namespace utxoiq::testing
