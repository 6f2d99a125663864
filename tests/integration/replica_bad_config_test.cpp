// Issue 12, bad configuration: a replica URL that cannot be reached and one that is actually a
// primary each get a log line naming the host and the reason, are shown "down" and excluded, and
// the service is ready all the same (a replica never makes /readyz 503); the pool figures list
// them as replicas with their lag fields.
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>

#include <mutex>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "obs/logging.hpp"
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

TEST(ReplicaBadConfig, UnreachableAndPrimaryUrlsAreExcludedAndTheServiceIsReady) {
  // ServiceUnderTest installs its quiet logger on its first construction: have that done first.
  { ServiceUnderTest warm_up; }
  auto log = std::make_shared<LogCapture>();
  obs::init_logging(obs::LogLevel::warn, true, log);
  {
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
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline &&
           (!line_with(log->text(), "database replica excluded", "is a primary") ||
            !line_with(log->text(), "database replica excluded", "127.0.0.1:1"))) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
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
  }
  obs::init_logging(obs::LogLevel::warn);
  const std::string text = log->text();
  EXPECT_TRUE(
      line_with(text, "database replica excluded", "not in recovery: the host is a primary"))
      << text;
  EXPECT_TRUE(line_with(text, "database replica excluded", "\"host\":\"127.0.0.1:1\"")) << text;
}

}  // namespace
}  // namespace utxoiq::testing
