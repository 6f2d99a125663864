// One scrape of /metrics under `serve --workers 2` shows both workers (docs/architecture.md,
// "Worker processes"; app/worker_metrics_exchange.hpp): the real binary on the test PostgreSQL
// and Redis. Over scrapes on new connections (taken by either worker), every scrape has both
// workers' utxoiq_worker_info and http_requests_total series, labelled worker="0" and "1"; the
// requests summed over the workers never decrease; promtool accepts every scrape (the test fails
// when promtool is missing: a check that cannot run is not a pass); a killed worker is counted in
// utxoiq_metrics_workers_missing until it is back; the sockets' directory is private (0700).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
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

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One scrape on a new connection; empty when it failed.
std::string scrape(std::uint16_t port) {
  HttpClient client(port);
  const auto response = client.get("/metrics");
  return response.status == 200 ? response.body : std::string();
}

// The workers (values of the worker label) of the samples of `family` in `text`.
std::set<std::string> workers_of(const std::string& text, const std::string& family) {
  const std::regex sample("(^|\n)" + family + R"re(\{[^\n]*worker="(\d+)")re");
  std::set<std::string> workers;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), sample);
       it != std::sregex_iterator(); ++it) {
    workers.insert((*it)[2].str());
  }
  return workers;
}

// The sum of every http_requests_total sample.
double requests_total(const std::string& text) {
  static const std::regex sample(R"re((^|\n)http_requests_total\{[^\n]*\} ([0-9.e+]+))re");
  double sum = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), sample);
       it != std::sregex_iterator(); ++it) {
    sum += std::stod((*it)[2].str());
  }
  return sum;
}

// The worker that answered: the label of its utxoiq_metrics_workers_missing, and that value.
std::optional<std::pair<std::string, int>> answered_by(const std::string& text) {
  static const std::regex line(R"re(\nutxoiq_metrics_workers_missing\{worker="(\d+)"\} (\d+))re");
  std::smatch match;
  if (!std::regex_search(text, match, line)) return std::nullopt;
  return std::pair{match[1].str(), std::stoi(match[2].str())};
}

// `promtool check metrics` on `text`: its output, and whether it accepted the text.
std::pair<bool, std::string> promtool_check(const std::string& text,
                                            const std::filesystem::path& dir) {
  const auto input = dir / "scrape.txt";
  const auto output = dir / "promtool.out";
  std::ofstream(input) << text;
  const std::string command =
      "promtool check metrics < '" + input.string() + "' > '" + output.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  return {status == 0, read_file(output)};
}

class WorkersMetrics : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(std::system("command -v promtool > /dev/null"), 0)
        << "promtool not found (apt-get install prometheus): the scrape cannot be checked";
    database_url_ = TestServers::get().create_database();
    dir_ = std::filesystem::temp_directory_path() /
           ("utxoiq-workers-metrics-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    port_ = static_cast<std::uint16_t>(app::pick_free_loopback_port());
    // A data directory of its own: the sockets' directory is under it.
    service_.emplace(
        std::vector<std::string>{"serve", "--workers", "2", "--data-dir", (dir_ / "data").string(),
                                 "--listen", "127.0.0.1:" + std::to_string(port_)},
        serve_environment(database_url_, "workers-metrics-" + std::to_string(::getpid()) + ":"),
        (dir_ / "serve.log").string());
    ASSERT_TRUE(wait_until_ready(port_, 120s, *service_)) << service_->output();
  }
  void TearDown() override {
    if (service_ && service_->running()) {
      EXPECT_EQ(service_->terminate(), 0) << service_->output();
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Until both workers served a request (each has http_requests_total) and answer each other.
  bool both_workers_in_a_scrape() {
    const std::set<std::string> both{"0", "1"};
    const auto deadline = Clock::now() + 60s;
    while (Clock::now() < deadline) {
      const std::string text = scrape(port_);
      if (workers_of(text, "http_requests_total") == both &&
          workers_of(text, "utxoiq_worker_info") == both) {
        return true;
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  std::string database_url_;
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::optional<RunningCommand> service_;
};

TEST_F(WorkersMetrics, EveryScrapeShowsBothWorkersAndTheirSumNeverDecreases) {
  ASSERT_TRUE(both_workers_in_a_scrape()) << service_->output();
  const std::set<std::string> both{"0", "1"};
  std::set<std::string> answering;
  double previous = 0;
  for (int i = 0; i < 20; ++i) {
    const std::string text = scrape(port_);
    ASSERT_FALSE(text.empty()) << "scrape " << i;
    EXPECT_EQ(workers_of(text, "utxoiq_worker_info"), both) << text;
    EXPECT_EQ(workers_of(text, "http_requests_total"), both) << text;
    const auto answered = answered_by(text);
    ASSERT_TRUE(answered) << text;
    EXPECT_EQ(answered->second, 0) << "a worker was left out: " << text;
    answering.insert(answered->first);
    const double total = requests_total(text);
    EXPECT_GE(total, previous) << "scrape " << i << ":\n" << text;
    previous = total;
    const auto [accepted, says] = promtool_check(text, dir_);
    EXPECT_TRUE(accepted) << says << "\n" << text;
    // One HELP and one TYPE per family: the text format requires it.
    EXPECT_EQ(text.find("# TYPE http_requests_total "), text.rfind("# TYPE http_requests_total "));
  }
  // New connections land on either worker (SO_REUSEPORT): both answered some of the 20.
  EXPECT_EQ(answering, both);
}

// The pid of `worker` in a scrape's utxoiq_worker_info; 0 when absent.
int pid_of(const std::string& text, const std::string& worker) {
  const std::regex line(R"re(\nutxoiq_worker_info\{worker=")re" + worker +
                        R"re(",pid="(\d+)"\})re");
  std::smatch match;
  return std::regex_search(text, match, line) ? std::stoi(match[1].str()) : 0;
}

// A worker killed: scrapes go on with the survivor, the missing one counted, until the restarted
// worker (a new pid) is in them again.
TEST_F(WorkersMetrics, AKilledWorkerIsCountedMissingUntilItIsBack) {
  ASSERT_TRUE(both_workers_in_a_scrape()) << service_->output();
  const int killed = pid_of(scrape(port_), "1");
  ASSERT_GT(killed, 0);
  ASSERT_EQ(::kill(killed, SIGKILL), 0);
  bool back = false;
  bool missing_seen = false;  // the restart waits 0.5 s: scrapes in between lack worker 1
  const auto deadline = Clock::now() + 30s;
  while (!back && Clock::now() < deadline) {
    std::string text;
    try {
      text = scrape(port_);
    } catch (const std::exception&) {
      continue;  // a connection reset by the worker being killed
    }
    if (text.empty()) continue;
    const auto answered = answered_by(text);
    ASSERT_TRUE(answered) << text;
    const auto present = workers_of(text, "utxoiq_worker_info");
    EXPECT_EQ(answered->second, 2 - static_cast<int>(present.size())) << text;
    const int now = pid_of(text, "1");
    EXPECT_NE(now, killed) << "a scrape showed the killed worker";
    back = now > 0;
    missing_seen = missing_seen || answered->second == 1;
    const auto [accepted, says] = promtool_check(text, dir_);
    EXPECT_TRUE(accepted) << says << "\n" << text;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(back) << service_->output();
  EXPECT_TRUE(missing_seen);
}

TEST_F(WorkersMetrics, TheSocketsDirectoryIsPrivate) {
  struct stat status {};
  const auto dir = dir_ / "data" / "run" / ("metrics-" + std::to_string(port_));
  ASSERT_EQ(::stat(dir.c_str(), &status), 0) << dir;
  EXPECT_TRUE(S_ISDIR(status.st_mode));
  EXPECT_EQ(status.st_mode & 0777, 0700u);
  // Ready means one worker answers; the other may still be binding its socket.
  const auto deadline = Clock::now() + 30s;
  const auto both_bound = [&] {
    return std::filesystem::exists(dir / "worker-0.sock") &&
           std::filesystem::exists(dir / "worker-1.sock");
  };
  while (!both_bound() && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(std::filesystem::exists(dir / "worker-0.sock"));
  EXPECT_TRUE(std::filesystem::exists(dir / "worker-1.sock"));
}

}  // namespace
}  // namespace utxoiq::testing
