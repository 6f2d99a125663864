// `serve --workers 2` as a user starts it (docs/architecture.md, "Worker processes"): the real
// binary on the test PostgreSQL and Redis. Both workers answer on the one port (SO_REUSEPORT), a
// worker killed with SIGKILL is restarted while the other keeps serving, a write through one
// worker is read through the other (cross-instance invalidation), SIGTERM to the supervisor
// stops every worker, and a port in use fails at once with a clear message.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "app/free_port.hpp"
#include "support/api_helpers.hpp"
#include "support/cli_runner.hpp"
#include "support/serve_environment.hpp"
#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The pid of the worker that answered one /metrics on `client`'s connection: the scrape shows
// every worker's utxoiq_worker_info{worker,pid}; utxoiq_metrics_workers_missing is reported by the
// worker that answered, its worker label says which.
std::optional<int> worker_pid(HttpClient& client) {
  static const std::regex answered(R"re(\nutxoiq_metrics_workers_missing\{worker="(\d+)"\})re");
  static const std::regex info(R"re(\nutxoiq_worker_info\{([^}]*)\})re");
  static const std::regex pid(R"re(pid="(\d+)")re");
  const auto response = client.get("/metrics");
  std::smatch match;
  if (response.status != 200 || !std::regex_search(response.body, match, answered)) return {};
  const std::string worker = "worker=\"" + match[1].str() + "\"";
  for (auto it = std::sregex_iterator(response.body.begin(), response.body.end(), info);
       it != std::sregex_iterator(); ++it) {
    const std::string labels = (*it)[1].str();
    if (labels.find(worker) == std::string::npos) continue;
    if (std::regex_search(labels, match, pid)) return std::stoi(match[1].str());
  }
  return {};
}

// The pids seen over `requests` new connections (each may land on either worker).
std::set<int> pids_answering(std::uint16_t port, int requests) {
  std::set<int> pids;
  for (int i = 0; i < requests; ++i) {
    try {
      HttpClient client(port);
      if (const auto pid = worker_pid(client)) pids.insert(*pid);
    } catch (const std::exception&) {
      // a connection reset by a worker being killed: the next one goes to a live worker
    }
  }
  return pids;
}

bool process_exists(int pid) {
  return ::kill(pid, 0) == 0;
}

// A keep-alive connection to a worker other than the ones in `not_these`, with the admin key.
HttpClient connection_to_other_worker(std::uint16_t port, const std::set<int>& not_these,
                                      int& pid) {
  for (int i = 0; i < 500; ++i) {
    HttpClient client(port);
    const auto answered = worker_pid(client);
    if (answered && !not_these.contains(*answered)) {
      pid = *answered;
      client.set_header("Authorization", std::string("Bearer ") + ServiceUnderTest::kAdminKey);
      return client;
    }
  }
  throw std::runtime_error("no connection reached another worker in 500 tries");
}

class Workers : public ::testing::Test {
 protected:
  void SetUp() override {
    // Not migrated: the supervisor applies the migrations, once, before its workers start.
    database_url_ = TestServers::get().create_database();
    logs_ =
        std::filesystem::temp_directory_path() / ("utxoiq-workers-" + std::to_string(::getpid()));
    std::filesystem::create_directories(logs_);
    port_ = static_cast<std::uint16_t>(app::pick_free_loopback_port());
    service_.emplace(
        std::vector<std::string>{"serve", "--workers", "2", "--listen",
                                 "127.0.0.1:" + std::to_string(port_)},
        serve_environment(database_url_, "workers-" + std::to_string(::getpid()) + ":"),
        (logs_ / "serve.log").string());
    ASSERT_TRUE(wait_until_ready(port_, 120s, *service_)) << service_->output();
  }
  void TearDown() override {
    if (service_ && service_->running()) {
      EXPECT_EQ(service_->terminate(), 0) << service_->output();
    }
    std::error_code ignored;
    std::filesystem::remove_all(logs_, ignored);
  }

  // Both workers, once each is ready (the supervisor's /readyz answer came from one of them).
  std::set<int> both_workers() {
    std::set<int> pids;
    const auto deadline = Clock::now() + 60s;
    while (pids.size() < 2 && Clock::now() < deadline) {
      const auto seen = pids_answering(port_, 20);
      pids.insert(seen.begin(), seen.end());
      if (pids.size() < 2) std::this_thread::sleep_for(100ms);
    }
    return pids;
  }

  std::string database_url_;
  std::filesystem::path logs_;
  std::uint16_t port_ = 0;
  std::optional<RunningCommand> service_;
};

TEST_F(Workers, BothWorkersAnswerOnTheOnePort) {
  const auto pids = both_workers();
  EXPECT_EQ(pids.size(), 2u) << service_->output();
  EXPECT_EQ(pids_answering(port_, 200).size(), 2u);
}

TEST_F(Workers, AKilledWorkerIsRestartedWhileTheOtherServes) {
  const auto before = both_workers();
  ASSERT_EQ(before.size(), 2u) << service_->output();
  const int killed = *before.begin();
  const int survivor = *before.rbegin();
  ASSERT_EQ(::kill(killed, SIGKILL), 0);
  // The survivor keeps answering at once; then a new worker (a new pid) joins it.
  std::set<int> after;
  const auto deadline = Clock::now() + 30s;
  while (Clock::now() < deadline) {
    const auto seen = pids_answering(port_, 20);
    EXPECT_FALSE(seen.empty()) << "nobody answered";
    after.insert(seen.begin(), seen.end());
    after.erase(killed);
    if (after.size() == 2) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(after.contains(survivor));
  EXPECT_EQ(after.size(), 2u) << service_->output();
  EXPECT_NE(service_->output().find("worker ended; restarting it"), std::string::npos)
      << service_->output();
  EXPECT_TRUE(service_->running());
}

TEST_F(Workers, AWriteThroughOneWorkerIsReadThroughTheOther) {
  int writer_pid = 0;
  int reader_pid = 0;
  auto writer = connection_to_other_worker(port_, {}, writer_pid);
  auto reader = connection_to_other_worker(port_, {writer_pid}, reader_pid);
  ASSERT_NE(writer_pid, reader_pid);
  const std::string insight = "across-workers";
  const auto comments = [&] {
    return get_ok(reader, "/api/v1/feedback/stats?insight_id=" + insight)
        .at("total_comments")
        .as_int64();
  };
  for (int round = 1; round <= 20; ++round) {
    ASSERT_EQ(comments(), round - 1);  // now cached in the reader's worker
    post_ok(
        writer, "/api/v1/feedback/comment",
        {{"insight_id", insight}, {"user_id", "user-" + std::to_string(round)}, {"comment", "x"}},
        201);
    // api.md: within 1 s on every other instance; a worker is one.
    const auto written = Clock::now();
    while (comments() != round && Clock::now() - written < 1s) std::this_thread::sleep_for(5ms);
    ASSERT_EQ(comments(), round) << "round " << round;
  }
}

TEST_F(Workers, SigtermToTheSupervisorStopsEveryWorker) {
  const auto pids = both_workers();
  ASSERT_EQ(pids.size(), 2u) << service_->output();
  EXPECT_EQ(service_->terminate(), 0) << service_->output();
  for (const int pid : pids) {
    // The supervisor reaped them before it exited: not even a zombie is left.
    EXPECT_FALSE(process_exists(pid)) << pid;
  }
  HttpClient client(port_);
  EXPECT_THROW(client.get("/healthz"), std::exception);
}

// Without a fixture: the port is taken before anything starts.
TEST(WorkersPortInUse, FailsFastWithExitCode4AndSaysWhy) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string listen = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  // An unreachable database too: the port check comes first, before PostgreSQL is looked for.
  const std::string unreachable =
      "postgresql://u:p@127.0.0.1:" + std::to_string(app::pick_free_loopback_port()) + "/db";
  const auto started = Clock::now();
  const auto result = run_utxoiq({"serve", "--workers", "2", "--no-redis", "--listen", listen},
                                 {{"DATABASE_URL", unreachable}}, 60s);
  EXPECT_LT(Clock::now() - started, 5s);
  EXPECT_EQ(result.exit_code, 4) << result.output;
  EXPECT_NE(result.output.find("cannot listen on " + listen), std::string::npos) << result.output;
  ::close(fd);
}

// The database is only reached by the workers here (--no-migrate: the supervisor connects to
// nothing): each worker exits with kExitDatabaseUnreachable at start, and that stops the service
// with the same code instead of restarting workers that cannot start.
TEST(WorkersStartFailure, AWorkerThatCannotStartStopsTheServiceWithItsExitCode) {
  const int closed_port = app::pick_free_loopback_port();
  const std::string unreachable =
      "postgresql://u:s3cret-pw@127.0.0.1:" + std::to_string(closed_port) + "/db";
  const std::string listen = "127.0.0.1:" + std::to_string(app::pick_free_loopback_port());
  const auto result =
      run_utxoiq({"serve", "--workers", "2", "--no-migrate", "--no-redis", "--listen", listen},
                 {{"DATABASE_URL", unreachable}}, 120s);
  EXPECT_EQ(result.exit_code, 3) << result.output;
  EXPECT_NE(result.output.find("could not start"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("s3cret-pw"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace utxoiq::testing
