// The command line as a user meets it, through the real binary: --help on every command, one-line
// errors with the documented exit codes (README "Exit codes"), `migrate` against a server given by
// DATABASE_URL (also two processes at once), and `serve` on its own embedded PostgreSQL: ready,
// `migrate status` beside it, stopped by SIGTERM with exit code 0, and its data kept for the next
// start.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "app/free_port.hpp"
#include "support/cli_runner.hpp"
#include "support/http_client.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

int count_lines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/utxoiq-cli-XXXXXX";
    path_ = mkdtemp(pattern);
    fs::permissions(path_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(Cli, EveryCommandHasHelp) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"migrate", "up", "--help"}}) {
    const auto result = run_utxoiq(args);
    EXPECT_EQ(result.exit_code, 0) << args.back() << ": " << result.output;
    EXPECT_TRUE(contains(result.output, "Usage")) << result.output;
  }
  EXPECT_TRUE(contains(run_utxoiq({"serve", "--help"}).output, "DATABASE_URL"));
}

TEST(Cli, BadFlagIsOneLineAndExitCode2) {
  const auto result = run_utxoiq({"serve", "--no-such-flag"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(count_lines(result.output), 1) << result.output;
  EXPECT_TRUE(contains(result.output, "--no-such-flag")) << result.output;
  EXPECT_EQ(run_utxoiq({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(run_utxoiq({"serve", "--listen", "nonsense"}).exit_code, 2);
  EXPECT_EQ(run_utxoiq({"serve", "--pool-min", "9", "--pool-max", "3"}).exit_code, 2);
}

TEST(Cli, AShortBootstrapKeyIsRefusedBeforeAnythingStarts) {
  const auto result =
      run_utxoiq({"serve", "--no-redis", "--listen", "127.0.0.1:0"},
                 {{"UTXOIQ_BOOTSTRAP_ADMIN_KEY", "only-31-characters-long-0123456"}});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(contains(result.output, "at least 32 characters")) << result.output;
  EXPECT_FALSE(contains(result.output, "only-31-characters")) << result.output;
}

TEST(Cli, UnreachableDatabaseIsExitCode3WithoutThePassword) {
  const int closed_port = app::pick_free_loopback_port();
  const std::string url =
      "postgresql://someone:s3cret-pw@127.0.0.1:" + std::to_string(closed_port) + "/db";
  const auto result =
      run_utxoiq({"serve", "--no-redis", "--listen", "127.0.0.1:0"}, {{"DATABASE_URL", url}});
  EXPECT_EQ(result.exit_code, 3) << result.output;
  EXPECT_FALSE(contains(result.output, "s3cret-pw")) << result.output;
}

TEST(Cli, MigrateStatusUpAndStatusAgain) {
  const std::string url = TestServers::get().create_database();
  const auto before = run_utxoiq({"migrate", "status"}, {{"DATABASE_URL", url}});
  EXPECT_EQ(before.exit_code, 0) << before.output;
  EXPECT_TRUE(contains(before.output, "0001")) << before.output;
  EXPECT_TRUE(contains(before.output, "pending")) << before.output;

  const auto up = run_utxoiq({"migrate", "up"}, {{"DATABASE_URL", url}});
  EXPECT_EQ(up.exit_code, 0) << up.output;
  const auto after = run_utxoiq({"migrate", "status"}, {{"DATABASE_URL", url}});
  EXPECT_TRUE(contains(after.output, ", 0 pending")) << after.output;
  EXPECT_EQ(run_utxoiq({"migrate", "verify"}, {{"DATABASE_URL", url}}).exit_code, 0);
}

TEST(Cli, TwoProcessesMigratingAtOnceApplyEachMigrationOnce) {
  const std::string url = TestServers::get().create_database();
  TempDir dir;
  RunningCommand first({"migrate", "up"}, {{"DATABASE_URL", url}}, dir.path() + "/first.log");
  RunningCommand second({"migrate", "up"}, {{"DATABASE_URL", url}}, dir.path() + "/second.log");
  // terminate() only signals a process still running; both normally exit long before.
  for (int i = 0; i < 600 && (first.running() || second.running()); ++i) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(first.terminate(), 0) << first.output();
  EXPECT_EQ(second.terminate(), 0) << second.output();
  // Exactly one of them applied 0001; the other found nothing to do.
  const bool first_applied = contains(first.output(), "applied 0001");
  const bool second_applied = contains(second.output(), "applied 0001");
  EXPECT_NE(first_applied, second_applied) << first.output() << "\n---\n" << second.output();
  const auto status = run_utxoiq({"migrate", "status"}, {{"DATABASE_URL", url}});
  EXPECT_TRUE(contains(status.output, ", 0 pending")) << status.output;
}

TEST(Cli, ServeOnTheEmbeddedDatabaseStopsCleanlyAndKeepsItsData) {
  TempDir dir;
  const std::string data = dir.path() + "/var";
  const int port = app::pick_free_loopback_port();
  const std::vector<std::string> serve{
      "serve", "--data-dir", data, "--listen", "127.0.0.1:" + std::to_string(port), "--no-redis"};
  {
    RunningCommand service(serve, {}, dir.path() + "/serve1.log");
    ASSERT_TRUE(wait_until_ready(static_cast<std::uint16_t>(port), 120s, service))
        << service.output();
    // A second command on the same data directory uses the running cluster.
    const auto status = run_utxoiq({"migrate", "status", "--data-dir", data});
    EXPECT_EQ(status.exit_code, 0) << status.output;
    EXPECT_TRUE(contains(status.output, "applied")) << status.output;
    EXPECT_EQ(service.terminate(), 0) << service.output();
  }
  // The cluster stopped with the service; the next start reuses it (no initdb, no migration).
  EXPECT_FALSE(fs::exists(data + "/postgres/postmaster.pid"));
  {
    RunningCommand service(serve, {}, dir.path() + "/serve2.log");
    ASSERT_TRUE(wait_until_ready(static_cast<std::uint16_t>(port), 120s, service))
        << service.output();
    EXPECT_FALSE(contains(service.output(), "migration applied")) << service.output();
    EXPECT_EQ(service.terminate(), 0) << service.output();
  }
}

TEST(Cli, PortInUseIsExitCode4) {
  const std::string url = TestServers::get().create_migrated_database();
  TempDir dir;
  const int port = app::pick_free_loopback_port();
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  RunningCommand first({"serve", "--no-redis", "--listen", listen}, {{"DATABASE_URL", url}},
                       dir.path() + "/first.log");
  ASSERT_TRUE(wait_until_ready(static_cast<std::uint16_t>(port), 60s, first)) << first.output();
  const auto second =
      run_utxoiq({"serve", "--no-redis", "--listen", listen}, {{"DATABASE_URL", url}});
  EXPECT_EQ(second.exit_code, 4) << second.output;
  EXPECT_TRUE(contains(second.output, "cannot listen")) << second.output;
  EXPECT_EQ(first.terminate(), 0) << first.output();
}

}  // namespace
}  // namespace utxoiq::testing
