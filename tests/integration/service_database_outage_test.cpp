// api.md, "Precise rules": when the database is down, /healthz stays 200 and /readyz turns 503
// within 30 s; once it is back the service is ready again within 60 s, without a restart.
// A binary of its own, because it stops the PostgreSQL every test of the binary shares.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

// Polls until /readyz answers `status` or `limit` passes; returns how long it took.
std::chrono::steady_clock::duration wait_for_readyz(HttpClient& client, int status,
                                                    std::chrono::seconds limit) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < limit) {
    if (client.get("/readyz").status == status) break;
    std::this_thread::sleep_for(200ms);
  }
  return std::chrono::steady_clock::now() - start;
}

TEST(ServiceDatabaseOutage, ReadyzFollowsThePrimaryAndHealthzStaysUp) {
  ServiceUnderTest service;
  auto client = service.client("");
  ASSERT_EQ(client.get("/readyz").status, 200);

  TestServers::get().stop_postgres();
  EXPECT_LT(wait_for_readyz(client, 503, 30s), 30s);
  const auto down = client.get("/readyz");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.json().as_object().at("database").as_object().at("primary").as_string(), "down");
  EXPECT_FALSE(down.header("Retry-After").empty());
  EXPECT_EQ(client.get("/healthz").status, 200);

  TestServers::get().start_postgres();
  EXPECT_LT(wait_for_readyz(client, 200, 60s), 60s);
  EXPECT_EQ(client.get("/readyz").status, 200);
}

}  // namespace
}  // namespace utxoiq::testing
