#include "support/service_under_test.hpp"

#include <mutex>

#include "app/service.hpp"
#include "obs/logging.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {

ServiceUnderTest::ServiceUnderTest(ServiceUnderTestOptions options) {
  static std::once_flag quiet_logs;
  // Access lines of hundreds of requests would bury a failing test's output.
  std::call_once(quiet_logs, [] { obs::init_logging(obs::LogLevel::warn); });
  auto& servers = TestServers::get();
  database_url_ =
      options.database_url.empty() ? servers.create_migrated_database() : options.database_url;
  if (options.redis) redis_url_ = servers.redis_url();
  config_.listen = "127.0.0.1:0";
  config_.no_redis = !options.redis;
  config_.redis_url = redis_url_;
  config_.bootstrap_admin_key = kAdminKey;
  // The binary's tests share one Redis: services on one database share cache entries and limits
  // (as instances of one deployment do), services on different databases do not.
  const std::string tail = database_url_.substr(database_url_.rfind('/') + 1);
  config_.redis_key_prefix = tail.substr(0, tail.find('?')) + ":";  // the database's name
  config_.shutdown_grace_s = 5;
  config_.pool.min_size = 2;
  if (options.configure) options.configure(config_);
  start();
}

ServiceUnderTest::~ServiceUnderTest() {
  stop();
}

std::uint16_t ServiceUnderTest::port() const {
  return service_ ? service_->port() : 0;
}

std::vector<http::RouteInfo> ServiceUnderTest::routes() const {
  return service_ ? service_->routes() : std::vector<http::RouteInfo>{};
}

HttpClient ServiceUnderTest::client(const std::string& api_key) const {
  HttpClient client(port());
  if (!api_key.empty()) client.set_header("Authorization", "Bearer " + api_key);
  return client;
}

void ServiceUnderTest::stop() {
  if (!service_) return;
  service_->stop();
  service_.reset();
}

void ServiceUnderTest::start() {
  if (service_) return;
  auto service = std::make_unique<app::Service>(config_, database_url_, redis_url_);
  service->start();
  // Later starts keep the port, so clients made before a restart still reach the service.
  config_.listen = "127.0.0.1:" + std::to_string(service->port());
  service_ = std::move(service);
}

void ServiceUnderTest::restart() {
  stop();
  start();
}

}  // namespace utxoiq::testing
