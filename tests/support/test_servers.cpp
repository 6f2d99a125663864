// The integration-test servers: one embedded PostgreSQL (tuned for speed, not durability) and one
// redis-server per test binary, under a temporary directory removed at exit.
#include "support/test_servers.hpp"

#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "app/embedded_postgres.hpp"
#include "app/embedded_redis.hpp"
#include "ops/migrations.hpp"

namespace utxoiq::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOwnerFile = "owner.pid";

// A test binary killed by SIGKILL (a timeout) takes its servers along (PR_SET_PDEATHSIG) but
// leaves its directory: remove those whose owner is gone, so /tmp does not fill up over runs.
void remove_abandoned_roots() {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/tmp", error)) {
    if (!entry.path().filename().string().starts_with("utxoiq-test-")) continue;
    std::ifstream owner(entry.path() / kOwnerFile);
    pid_t pid = 0;
    if (owner >> pid && pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) {
      fs::remove_all(entry.path(), error);
    }
  }
}

app::EmbeddedPostgresOptions postgres_options(const fs::path& root) {
  app::EmbeddedPostgresOptions options;
  options.data_dir = (root / "postgres").string();
  options.database = "";    // tests make their own with create_database()
  options.durable = false;  // fsync etc. off: a test cluster dies with the test anyway
  options.start_timeout = std::chrono::seconds(60);  // two binaries share two busy cores
  return options;
}

app::EmbeddedRedisOptions redis_options(const fs::path& root) {
  app::EmbeddedRedisOptions options;
  options.data_dir = (root / "redis").string();
  options.start_timeout = std::chrono::seconds(60);
  return options;
}

}  // namespace

std::string make_test_root() {
  remove_abandoned_roots();
  char path[] = "/tmp/utxoiq-test-XXXXXX";
  if (!mkdtemp(path)) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  // mkdtemp makes it 0700; postgres (we are root, it runs as `postgres`) must pass through it.
  chmod(path, 0755);
  std::ofstream(fs::path(path) / kOwnerFile) << getpid() << "\n";
  return path;
}

struct TestServers::State {
  explicit State(const std::string& root_dir)
      : root(root_dir), postgres(postgres_options(root)), redis(redis_options(root)) {}
  ~State() {
    postgres.stop();
    redis.stop();
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }
  fs::path root;
  app::EmbeddedPostgres postgres;
  app::EmbeddedRedis redis;
  std::atomic<int> databases{0};
  std::mutex template_mutex;
  std::string migrated_template;  // name of the migrated template database, once made
};

TestServers& TestServers::get() {
  static TestServers servers;
  return servers;
}

TestServers::TestServers() : state_(std::make_unique<State>(make_test_root())) {
  if (!app::EmbeddedRedis::available()) {
    throw std::runtime_error(
        "TestServers: redis-server is not installed; integration tests need it");
  }
  state_->postgres.start();
  state_->redis.start();
}

TestServers::~TestServers() = default;

std::string TestServers::admin_url() const {
  return state_->postgres.url("postgres");
}

std::string TestServers::create_database() {
  return create_database_from("");
}

std::string TestServers::create_migrated_database() {
  std::lock_guard lock(state_->template_mutex);
  if (state_->migrated_template.empty()) {
    const std::string url = create_database_from("");
    ops::migrate_up(url, ops::MigrationSet::embedded());
    const std::string tail = url.substr(url.rfind('/') + 1);  // "name?passfile=..."
    state_->migrated_template = tail.substr(0, tail.find('?'));
  }
  return create_database_from(state_->migrated_template);
}

std::string TestServers::create_database_from(const std::string& template_name) {
  const std::string name =
      "test_" + std::to_string(getpid()) + "_" + std::to_string(state_->databases.fetch_add(1));
  const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(postgres_port()) +
                               " user=postgres dbname=postgres connect_timeout=10 passfile='" +
                               postgres_passfile() + "'";
  // A fresh connection each time: a kept one would be broken by stop/kill/start_postgres.
  std::unique_ptr<PGconn, decltype(&PQfinish)> admin(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (PQstatus(admin.get()) != CONNECTION_OK) {
    throw std::runtime_error("TestServers::create_database: cannot connect: " +
                             std::string(PQerrorMessage(admin.get())) + "\nserver log:\n" +
                             state_->postgres.log_tail());
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(
      PQexec(admin.get(), ("CREATE DATABASE " + name +
                           (template_name.empty() ? "" : " TEMPLATE " + template_name))
                              .c_str()),
      &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error("TestServers::create_database: CREATE DATABASE " + name + ": " +
                             PQresultErrorMessage(result.get()));
  }
  return state_->postgres.url(name);
}

std::string TestServers::redis_url() const {
  return state_->redis.url();
}
std::string TestServers::postgres_passfile() const {
  return app::embedded_passfile(state_->postgres.data_dir());
}
std::string TestServers::redis_password() const {
  return state_->redis.password();
}
std::string TestServers::postgres_data_dir() const {
  return state_->postgres.data_dir();
}
int TestServers::postgres_port() const {
  return state_->postgres.port();
}
int TestServers::redis_port() const {
  return state_->redis.port();
}

void TestServers::stop_postgres() {
  state_->postgres.stop();
}
void TestServers::kill_postgres() {
  state_->postgres.kill();
}
void TestServers::start_postgres() {
  state_->postgres.start();
}
void TestServers::stop_redis() {
  state_->redis.stop();
}
void TestServers::start_redis() {
  state_->redis.start();
}

}  // namespace utxoiq::testing
