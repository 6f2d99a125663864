#pragma once
// The whole service, in-process, for HTTP-level integration tests: app::Service on a thread of its
// own, on a fresh migrated database of the test binary's PostgreSQL (TestServers) and its Redis,
// listening on a free loopback port. Requests go through HttpClient like any client's.
//
//   ServiceUnderTest service;                         // fresh database, Redis, admin key
//   auto client = service.client();                   // sends the admin key
//   auto r = client.get("/api/v1/monitoring/backfill/status");
//   service.restart();                                // stop + start on the same database
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "http/router.hpp"
#include "support/http_client.hpp"

namespace utxoiq::app {
class Service;
}

namespace utxoiq::testing {

struct ServiceUnderTestOptions {
  bool redis = true;  // false: run with no Redis at all
  // Adjusts the configuration before the service starts (pool sizes, limits, ...).
  std::function<void(app::ServeConfig&)> configure;
  // Use this database instead of a fresh one (a second instance on the same data).
  std::string database_url;
};

class ServiceUnderTest {
 public:
  // The UTXOIQ_BOOTSTRAP_ADMIN_KEY every service under test starts with.
  static constexpr const char* kAdminKey = "utxoiq-test-admin-key-0123456789abcdef0123456789";

  explicit ServiceUnderTest(ServiceUnderTestOptions options = {});
  ~ServiceUnderTest();
  ServiceUnderTest(const ServiceUnderTest&) = delete;
  ServiceUnderTest& operator=(const ServiceUnderTest&) = delete;

  std::uint16_t port() const;
  const std::string& database_url() const { return database_url_; }
  const std::string& redis_url() const { return redis_url_; }
  const app::ServeConfig& config() const { return config_; }
  // The routes of the running service.
  std::vector<http::RouteInfo> routes() const;

  // A client that sends `api_key` as a Bearer token (none when empty).
  HttpClient client(const std::string& api_key = kAdminKey) const;

  void stop();     // graceful, as on SIGTERM
  void start();    // again, after stop(), on the same database and port
  void restart();  // stop() then start()

 private:
  app::ServeConfig config_;
  std::string database_url_;
  std::string redis_url_;
  std::unique_ptr<app::Service> service_;
};

}  // namespace utxoiq::testing
