// Issue 12, bad configuration: a replica URL that cannot be reached, one that is actually a
// primary and one of a replica of another cluster each get a log line naming the host and the
// reason, are shown "down" and excluded, and the service is ready all the same (a replica never
// makes /readyz 503); the pool figures list them as replicas with their lag fields.
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>

#include <mutex>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "obs/logging.hpp"
#include "support/replica_cluster.hpp"
#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

// The service logs from its own thread: lines are kept under the sink's mutex and read under it.
class LogCapture : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::string text() {
    std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    text_.append(formatted.data(), formatted.size());
  }
  void flush_() override {}

 private:
  std::string text_;
};

// True when one line of `text` holds both a and b.
bool line_with(const std::string& text, std::string_view a, std::string_view b) {
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line(text.data() + start, end - start);
    if (line.find(a) != line.npos && line.find(b) != line.npos) return true;
    start = end + 1;
  }
  return false;
}

// Runs `body` with the service's log (warn and above) captured; returns what was logged.
std::string logged_while(const std::function<void(LogCapture&)>& body) {
  // ServiceUnderTest installs its quiet logger on its first construction: have that done first.
  { ServiceUnderTest warm_up; }
  auto log = std::make_shared<LogCapture>();
  obs::init_logging(obs::LogLevel::warn, true, log);
  body(*log);
  obs::init_logging(obs::LogLevel::warn);
  return log->text();
}

// Waits up to `limit` for a line of `log` holding both a and b.
void wait_for_line(LogCapture& log, std::string_view a, std::string_view b,
                   std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline && !line_with(log.text(), a, b)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

TEST(ReplicaBadConfig, UnreachableAndPrimaryUrlsAreExcludedAndTheServiceIsReady) {
  const std::string text = logged_while([](LogCapture& log) {
    ServiceUnderTest service({.configure =
                                  [](app::ServeConfig& config) {
                                    config.replicas.urls = {
                                        TestServers::get().admin_url(),
                                        "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"};
                                    config.replicas.health_interval_s = 1;
                                  },
                              .database_url = {}});
    auto client = service.client("");
    // Both hosts are checked at once; give the unreachable one its connect retries.
    wait_for_line(log, "database replica excluded", "is a primary", std::chrono::seconds(20));
    wait_for_line(log, "database replica excluded", "127.0.0.1:1", std::chrono::seconds(20));
    const auto ready = client.get("/readyz");
    ASSERT_EQ(ready.status, 200) << ready.body;
    const auto replicas = ready.json().at("database").at("replicas").as_array();
    ASSERT_EQ(replicas.size(), 2u) << ready.body;
    for (const auto& replica : replicas) {
      EXPECT_EQ(replica.at("state").as_string(), "down") << ready.body;
    }
    const auto pool = service.client().get("/api/v1/monitoring/database/pool");
    ASSERT_EQ(pool.status, 200) << pool.body;
    const auto hosts = pool.json().at("hosts").as_array();
    ASSERT_EQ(hosts.size(), 3u) << pool.body;
    EXPECT_EQ(hosts[1].at("role").as_string(), "replica");
    EXPECT_FALSE(hosts[1].at("healthy").as_bool());
    EXPECT_EQ(hosts[1].at("weight").as_double(), 0.0);
    // Reads still work: the primary answers, counted as a fallback (no usable replica).
    EXPECT_EQ(service.client().get("/api/v1/feedback?limit=1").status, 200);
    const auto metrics = client.get("/metrics").body;
    EXPECT_NE(metrics.find(R"(utxoiq_db_reads_total{host="primary",reason="primary_fallback"} 1)"),
              std::string::npos)
        << metrics;
  });
  EXPECT_TRUE(
      line_with(text, "database replica excluded", "not in recovery: the host is a primary"))
      << text;
  EXPECT_TRUE(line_with(text, "database replica excluded", "\"host\":\"127.0.0.1:1\"")) << text;
}

// A streaming replica, but of another cluster (the harness's, while the service's primary is the
// test binary's PostgreSQL): its system identifier differs, so it must never serve reads.
TEST(ReplicaBadConfig, AReplicaOfAnotherClusterIsExcludedAndTheServiceIsReady) {
  ReplicaCluster other(1);
  const std::string host = "127.0.0.1:" + std::to_string(other.replica_port(0));
  const std::string text = logged_while([&](LogCapture& log) {
    ServiceUnderTest service({.configure =
                                  [&](app::ServeConfig& config) {
                                    config.replicas.urls = {other.replica_url(0)};
                                    config.replicas.health_interval_s = 1;
                                  },
                              .database_url = {}});
    wait_for_line(log, "database replica excluded", "another cluster", std::chrono::seconds(20));
    auto client = service.client("");
    const auto ready = client.get("/readyz");
    ASSERT_EQ(ready.status, 200) << ready.body;
    const auto replicas = ready.json().at("database").at("replicas").as_array();
    ASSERT_EQ(replicas.size(), 1u) << ready.body;
    EXPECT_EQ(replicas[0].at("state").as_string(), "down") << ready.body;
    EXPECT_EQ(service.client().get("/api/v1/feedback?limit=1").status, 200);
    const auto metrics = client.get("/metrics").body;
    EXPECT_NE(metrics.find(R"(utxoiq_db_reads_total{host="primary",reason="primary_fallback"} 1)"),
              std::string::npos)
        << metrics;
  });
  EXPECT_TRUE(line_with(text, "database replica excluded",
                        "differs from the primary's " +
                            std::to_string(system_identifier_of(TestServers::get().admin_url())) +
                            ": a replica of another cluster"))
      << text;
  EXPECT_TRUE(line_with(text, "database replica excluded", "\"host\":\"" + host + "\"")) << text;
}

}  // namespace
}  // namespace utxoiq::testing
