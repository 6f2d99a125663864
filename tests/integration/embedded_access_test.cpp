// The embedded servers are closed to every other local user: PostgreSQL over TCP and over its
// socket, Redis without its password, Redis CONFIG even with it, no server running as root, and
// no child inheriting our secrets. "Another user" is `nobody` when we are root (setpriv); when we
// are not, the same user without the password file must be refused, which is the same defence.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "app/child_process.hpp"
#include "support/test_servers.hpp"

namespace utxoiq {
namespace {

using testing::TestServers;

struct Outcome {
  int exit_code;
  std::string output;
};

// Runs `command` through the shell with an empty environment (no PGPASSFILE, no password), as
// `nobody` when we are root; stdout and stderr together.
Outcome run_as_other_user(const std::string& command) {
  const std::string prefix =
      geteuid() == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups " : "";
  const std::string full = prefix + "env -i PATH=/usr/bin:/bin " + command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed");
  std::string output;
  char buffer[512];
  while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string psql(const std::string& host) {
  const std::string port = std::to_string(TestServers::get().postgres_port());
  return "psql -X -w -h '" + host + "' -p " + port + " -U postgres -d postgres -tAc 'SELECT 1'";
}

TEST(EmbeddedPostgresAccess, TcpWithoutThePasswordIsRefused) {
  const Outcome outcome = run_as_other_user(psql("127.0.0.1"));
  EXPECT_NE(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("password"), std::string::npos) << outcome.output;
}

TEST(EmbeddedPostgresAccess, TheSocketIsOutOfReachOfOthers) {
  const std::string dir = TestServers::get().postgres_data_dir();
  struct stat info {};
  ASSERT_EQ(stat(dir.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  if (geteuid() == 0) {
    const Outcome outcome = run_as_other_user(psql(dir));
    EXPECT_NE(outcome.exit_code, 0) << outcome.output;
    EXPECT_NE(outcome.output.find("ermission denied"), std::string::npos) << outcome.output;
  }
}

TEST(EmbeddedPostgresAccess, ThePasswordFilesArePrivate) {
  const std::string passfile = TestServers::get().postgres_passfile();
  struct stat info {};
  ASSERT_EQ(stat(passfile.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(EmbeddedPostgresAccess, TheServerDoesNotRunAsRoot) {
  const Outcome outcome = run_as_other_user("psql --version");  // the tool exists for the others
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  std::ifstream pid_file(TestServers::get().postgres_data_dir() + "/postmaster.pid");
  if (geteuid() != 0) return;  // then it runs as us, not root, by construction
  // As root we cannot read the pid file only if something is wrong; it is readable to root.
  pid_t pid = 0;
  ASSERT_TRUE(pid_file >> pid);
  struct stat info {};
  ASSERT_EQ(stat(("/proc/" + std::to_string(pid)).c_str(), &info), 0);
  EXPECT_NE(info.st_uid, 0u);
}

std::string redis_cli(const std::string& arguments) {
  return "redis-cli -h 127.0.0.1 -p " + std::to_string(TestServers::get().redis_port()) + " " +
         arguments;
}

TEST(EmbeddedRedisAccess, CommandsWithoutThePasswordAreRefused) {
  const Outcome outcome = run_as_other_user(redis_cli("GET anything"));
  EXPECT_NE(outcome.output.find("NOAUTH"), std::string::npos) << outcome.output;
}

TEST(EmbeddedRedisAccess, ConfigIsGoneEvenWithThePassword) {
  // The password travels in REDISCLI_AUTH, not on the command line others could see in ps.
  const Outcome outcome = run_as_other_user("REDISCLI_AUTH=" + TestServers::get().redis_password() +
                                            " " + redis_cli("CONFIG GET dir"));
  EXPECT_NE(outcome.output.find("unknown command"), std::string::npos) << outcome.output;
  const Outcome memory = run_as_other_user("REDISCLI_AUTH=" + TestServers::get().redis_password() +
                                           " " + redis_cli("INFO memory"));
  EXPECT_NE(memory.output.find("maxmemory_policy:allkeys-lru"), std::string::npos) << memory.output;
  EXPECT_EQ(memory.output.find("maxmemory:0\r"), std::string::npos) << memory.output;
}

TEST(EmbeddedRedisAccess, TheServerDoesNotRunAsRoot) {
  const Outcome outcome = run_as_other_user("REDISCLI_AUTH=" + TestServers::get().redis_password() +
                                            " " + redis_cli("INFO server"));
  const auto at = outcome.output.find("process_id:");
  ASSERT_NE(at, std::string::npos) << outcome.output;
  const std::string pid = std::to_string(std::atol(outcome.output.c_str() + at + 11));
  struct stat info {};
  ASSERT_EQ(stat(("/proc/" + pid).c_str(), &info), 0);
  EXPECT_NE(info.st_uid, 0u);
}

TEST(ChildProcessEnvironment, SecretsOfOursNeverReachAChild) {
  setenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY", "a-secret-admin-key-of-at-least-32-chars", 1);
  setenv("DATABASE_URL", "postgresql://u:secret@h/db", 1);
  char path[] = "/tmp/utxoiq-env-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  app::ChildOptions options;
  options.argv = {"/usr/bin/env"};
  options.output_file = path;
  options.extra_environment = {"GIVEN=1"};
  auto child = app::ChildProcess::spawn(options);
  ASSERT_TRUE(child.wait_for(std::chrono::seconds(10)));
  std::ifstream in(path);
  const std::string environment((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  std::remove(path);
  EXPECT_EQ(environment.find("UTXOIQ_BOOTSTRAP_ADMIN_KEY"), std::string::npos) << environment;
  EXPECT_EQ(environment.find("DATABASE_URL"), std::string::npos) << environment;
  EXPECT_NE(environment.find("GIVEN=1"), std::string::npos) << environment;
  EXPECT_NE(environment.find("PATH="), std::string::npos) << environment;
  unsetenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY");
  unsetenv("DATABASE_URL");
}

}  // namespace
}  // namespace utxoiq
