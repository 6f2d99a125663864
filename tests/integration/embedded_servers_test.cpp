// The embedded PostgreSQL and redis-server, and the test harness built on them: data survives a
// restart, crashes and stale lock files are recovered from, databases are independent.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/child_process.hpp"
#include "app/embedded_postgres.hpp"
#include "app/embedded_redis.hpp"
#include "support/test_servers.hpp"

namespace utxoiq {
namespace {

namespace fs = std::filesystem;
using app::EmbeddedPostgres;
using app::EmbeddedPostgresOptions;
using app::EmbeddedRedis;
using testing::TestServers;

// A directory of our own under /tmp, traversable by `postgres` (the server's user when we are
// root), removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    char path[] = "/tmp/utxoiq-embedded-test-XXXXXX";
    if (!mkdtemp(path)) throw std::runtime_error("mkdtemp failed");
    chmod(path, 0755);
    path_ = path;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Runs `sql` on a new connection to `url`; returns the first column of the first row, if any.
std::optional<std::string> query(const std::string& url, const std::string& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw std::runtime_error("connect " + url + ": " + PQerrorMessage(connection.get()));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), sql.c_str()),
                                                       &PQclear);
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(result.get()));
  }
  if (status != PGRES_TUPLES_OK || PQntuples(result.get()) == 0 ||
      PQgetisnull(result.get(), 0, 0)) {
    return std::nullopt;
  }
  return std::string(PQgetvalue(result.get(), 0, 0));
}

app::ChildOptions command(std::vector<std::string> argv) {
  app::ChildOptions options;
  options.argv = std::move(argv);
  return options;
}

EmbeddedPostgresOptions fast_options(const TempDir& dir) {
  EmbeddedPostgresOptions options;
  options.data_dir = (dir.path() / "pg").string();
  options.durable = false;
  return options;
}

TEST(EmbeddedPostgres, KeepsDataAndPortAcrossStopAndStart) {
  TempDir dir;
  int first_port = 0;
  {
    EmbeddedPostgres postgres(fast_options(dir));
    postgres.start();
    first_port = postgres.port();
    EXPECT_TRUE(postgres.url().starts_with(
        "postgresql://postgres@127.0.0.1:" + std::to_string(first_port) + "/utxoiq?passfile="))
        << postgres.url();
    query(postgres.url(), "CREATE TABLE kept (value text)");
    query(postgres.url(), "INSERT INTO kept VALUES ('survives restarts')");

    postgres.stop();
    EXPECT_FALSE(postgres.running());
    EXPECT_THROW(query(postgres.url(), "SELECT 1"), std::runtime_error);

    postgres.start();
    EXPECT_EQ(postgres.port(), first_port);
    EXPECT_EQ(query(postgres.url(), "SELECT value FROM kept"), "survives restarts");
  }  // the destructor stops it
  EXPECT_FALSE(fs::exists(dir.path() / "pg" / "postmaster.pid"));

  // A new service process on the same data dir reuses the cluster and the port of the last run.
  EmbeddedPostgres again(fast_options(dir));
  again.start();
  EXPECT_EQ(again.port(), first_port);
  EXPECT_EQ(query(again.url(), "SELECT value FROM kept"), "survives restarts");
  EXPECT_EQ(query(again.url(), "SHOW server_encoding"), "UTF8");
  EXPECT_EQ(query(again.url(), "SHOW lc_collate"), "C");
}

TEST(EmbeddedPostgres, ServiceSettingsKeepFsyncOn) {
  TempDir dir;
  EmbeddedPostgresOptions options = fast_options(dir);
  options.durable = true;
  options.settings = {{"work_mem", "8MB"}};
  EmbeddedPostgres postgres(options);
  postgres.start();
  EXPECT_EQ(query(postgres.url(), "SHOW fsync"), "on");
  EXPECT_EQ(query(postgres.url(), "SHOW max_connections"), "200");
  EXPECT_EQ(query(postgres.url(), "SHOW work_mem"), "8MB");
  EXPECT_EQ(fs::status(postgres.data_dir()).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST(EmbeddedPostgres, RemovesPostmasterPidOfAnUnrelatedLiveProcess) {
  TempDir dir;
  EmbeddedPostgres postgres(fast_options(dir));
  postgres.start();
  query(postgres.url(), "CREATE TABLE t AS SELECT 42 AS answer");
  postgres.stop();

  // After a crash in a container the recorded pid often belongs to some other live process;
  // postgres alone would refuse to start ("lock file already exists").
  auto unrelated = app::ChildProcess::spawn(command({"/bin/sleep", "60"}));
  {
    std::ofstream pid_file(dir.path() / "pg" / "postmaster.pid");
    pid_file << unrelated.pid() << "\n" << postgres.data_dir() << "\n";
  }
  postgres.start();
  EXPECT_EQ(query(postgres.url(), "SELECT answer FROM t"), "42");
  EXPECT_TRUE(unrelated.running()) << "the unrelated process must be left alone";
}

TEST(EmbeddedPostgres, RemovesPostmasterPidOfADeadProcess) {
  TempDir dir;
  EmbeddedPostgres postgres(fast_options(dir));
  postgres.start();
  postgres.stop();

  auto finished = app::ChildProcess::spawn(command({"/bin/true"}));
  ASSERT_TRUE(finished.wait_for(std::chrono::seconds(30)).has_value());
  {
    std::ofstream pid_file(dir.path() / "pg" / "postmaster.pid");
    pid_file << finished.pid() << "\n" << postgres.data_dir() << "\n";
  }
  postgres.start();
  EXPECT_EQ(query(postgres.url(), "SELECT 1"), "1");
}

TEST(EmbeddedPostgres, RecoversFromAKilledPostmaster) {
  TempDir dir;
  EmbeddedPostgresOptions options = fast_options(dir);
  options.durable = true;  // a committed row must survive the crash
  EmbeddedPostgres postgres(options);
  postgres.start();
  query(postgres.url(), "CREATE TABLE t (n int)");
  query(postgres.url(), "INSERT INTO t VALUES (7)");

  postgres.kill();
  EXPECT_FALSE(postgres.running());
  EXPECT_TRUE(fs::exists(dir.path() / "pg" / "postmaster.pid")) << "a crash leaves its lock file";

  postgres.start();
  EXPECT_EQ(query(postgres.url(), "SELECT n FROM t"), "7");
  std::ifstream log_file(postgres.log_path());
  const std::string log((std::istreambuf_iterator<char>(log_file)),
                        std::istreambuf_iterator<char>());
  EXPECT_NE(log.find("not properly shut down"), std::string::npos)
      << "the restart should have run crash recovery; log:\n"
      << postgres.log_tail();
  EXPECT_EQ(log.find("not yet accepting connections"), std::string::npos)
      << "start() should wait for the postmaster to be ready before connecting";
}

TEST(EmbeddedPostgres, RefusesANonEmptyDirectoryWithoutACluster) {
  TempDir dir;
  fs::create_directories(dir.path() / "pg");
  std::ofstream(dir.path() / "pg" / "precious.txt") << "user data";
  EmbeddedPostgres postgres(fast_options(dir));
  EXPECT_THROW(postgres.start(), std::runtime_error);
  EXPECT_TRUE(fs::exists(dir.path() / "pg" / "precious.txt"));
  EXPECT_FALSE(fs::exists(dir.path() / "pg" / "PG_VERSION"));
}

TEST(EmbeddedPostgres, ReportsTheServerLogWhenItCannotStart) {
  TempDir dir;
  EmbeddedPostgresOptions options = fast_options(dir);
  options.settings = {{"shared_buffers", "not-a-size"}};
  EmbeddedPostgres postgres(options);
  try {
    postgres.start();
    FAIL() << "start() should have thrown";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("shared_buffers"), std::string::npos) << error.what();
  }
  EXPECT_FALSE(postgres.running());
}

TEST(TestServers, CreateDatabaseGivesIndependentDatabases) {
  TestServers& servers = TestServers::get();
  const std::string first = servers.create_database();
  const std::string second = servers.create_database();
  ASSERT_NE(first, second);
  query(first, "CREATE TABLE only_in_first (id int)");
  EXPECT_EQ(query(first, "SELECT to_regclass('only_in_first')::text"), "only_in_first");
  EXPECT_EQ(query(second, "SELECT to_regclass('only_in_first')::text"), std::nullopt);
  EXPECT_EQ(query(servers.admin_url(), "SELECT current_user"), "postgres");
}

TEST(TestServers, PostgresComesBackOnTheSamePortAfterKillAndStop) {
  TestServers& servers = TestServers::get();
  const std::string url = servers.create_database();
  query(url, "CREATE TABLE t AS SELECT 'before the crash'::text AS note");
  const int port = servers.postgres_port();

  servers.kill_postgres();
  EXPECT_THROW(query(url, "SELECT 1"), std::runtime_error);
  servers.start_postgres();
  EXPECT_EQ(servers.postgres_port(), port);
  EXPECT_EQ(query(url, "SELECT note FROM t"), "before the crash");

  servers.stop_postgres();
  EXPECT_THROW(query(url, "SELECT 1"), std::runtime_error);
  servers.start_postgres();
  EXPECT_EQ(query(url, "SELECT note FROM t"), "before the crash");
}

TEST(TestServers, RedisAnswersPingOnlyWhileRunning) {
  TestServers& servers = TestServers::get();
  const int port = servers.redis_port();
  const std::string password = servers.redis_password();
  EXPECT_EQ(servers.redis_url(), "redis://:" + password + "@127.0.0.1:" + std::to_string(port));
  EXPECT_TRUE(EmbeddedRedis::ping(port, password));

  servers.stop_redis();
  EXPECT_FALSE(EmbeddedRedis::ping(port, password));

  servers.start_redis();
  EXPECT_EQ(servers.redis_port(), port);
  EXPECT_TRUE(EmbeddedRedis::ping(port, password));
}

TEST(EmbeddedRedis, KillThenStartServesAgain) {
  ASSERT_TRUE(EmbeddedRedis::available());
  TempDir dir;
  app::EmbeddedRedisOptions options;
  options.data_dir = (dir.path() / "redis").string();
  EmbeddedRedis redis(options);
  redis.start();
  EXPECT_TRUE(redis.running());
  EXPECT_TRUE(EmbeddedRedis::ping(redis.port(), redis.password()));
  redis.kill();
  EXPECT_FALSE(redis.running());
  EXPECT_FALSE(EmbeddedRedis::ping(redis.port(), redis.password()));
  redis.start();
  EXPECT_TRUE(EmbeddedRedis::ping(redis.port(), redis.password()));
}

TEST(ChildProcess, OutlivesTheThreadThatSpawnedIt) {
  // PR_SET_PDEATHSIG is per thread: a server started from a worker thread must not die with it.
  std::optional<app::ChildProcess> child;
  std::thread([&child] { child = app::ChildProcess::spawn(command({"/bin/sleep", "60"})); }).join();
  EXPECT_EQ(child->wait_for(std::chrono::seconds(2)), std::nullopt)
      << "died: " << app::ChildProcess::describe_status(child->exit_status().value_or(0));
  child->signal(SIGTERM);
  const auto status = child->wait_for(std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(app::ChildProcess::describe_status(*status), "killed by signal 15");
}

TEST(ChildProcess, ReportsAProgramThatCannotBeExecuted) {
  try {
    app::ChildProcess::spawn(command({"/nonexistent/program"}));
    FAIL() << "spawn should have thrown";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("execv: No such file"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace utxoiq
