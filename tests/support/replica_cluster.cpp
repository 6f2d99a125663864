// The replication test cluster: an embedded primary and the service's embedded replicas; see
// replica_cluster.hpp.
#include "support/replica_cluster.hpp"

#include <signal.h>

#include <cassert>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <thread>

#include "app/child_process.hpp"
#include "app/embedded_postgres.hpp"
#include "app/embedded_replica.hpp"
#include "ops/migrations.hpp"
#include "pg/blocking_connection.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::optional<std::string> query_value(const std::string& conninfo, const std::string& sql,
                                       const std::vector<std::optional<std::string>>& params = {}) {
  pg::BlockingConnection connection(conninfo);
  const auto result = connection.exec_params(sql, params);
  if (result.rows.empty() || result.rows[0].empty()) return std::nullopt;
  return result.rows[0][0];
}

// Polls `check` every 50 ms until it returns true; throws `what` (with `log`) after `timeout`.
// A check that throws (a server still starting) counts as false.
template <typename Check, typename Log>
void wait_until(Check check, std::chrono::milliseconds timeout, const std::string& what, Log log) {
  const auto deadline = Clock::now() + timeout;
  std::string last_error;
  for (;;) {
    try {
      if (check()) return;
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    if (Clock::now() >= deadline) {
      throw std::runtime_error("ReplicaCluster: " + what + " not reached within " +
                               std::to_string(timeout.count()) + " ms" +
                               (last_error.empty() ? "" : " (last error: " + last_error + ")") +
                               "; server log:\n" + log());
    }
    std::this_thread::sleep_for(50ms);
  }
}

app::EmbeddedPostgresOptions primary_options(const fs::path& root) {
  app::EmbeddedPostgresOptions options;
  options.data_dir = (root / "primary").string();
  options.database = "utxoiq";
  options.durable = false;  // a test cluster dies with the test
  options.start_timeout = 60s;
  return options;
}

app::EmbeddedReplicaOptions replica_options(const fs::path& root,
                                            const app::EmbeddedPostgres& primary,
                                            std::size_t index) {
  app::EmbeddedReplicaOptions options;
  options.data_dir = (root / ("replica-" + std::to_string(index))).string();
  options.primary_data_dir = primary.data_dir();
  options.primary_port = primary.port();
  options.slot_name = "utxoiq_replica_" + std::to_string(index);
  options.durable = false;
  return options;
}

}  // namespace

struct ReplicaCluster::State {
  explicit State(const std::string& root_dir) : root(root_dir), primary(primary_options(root)) {}
  ~State() {
    replicas.clear();  // each stops its server
    primary.stop();
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }
  app::EmbeddedReplica& replica(std::size_t i) {
    if (i >= replicas.size())
      throw std::out_of_range("ReplicaCluster: no replica " + std::to_string(i));
    return *replicas[i];
  }
  fs::path root;
  app::EmbeddedPostgres primary;
  std::vector<std::unique_ptr<app::EmbeddedReplica>> replicas;
  int databases = 0;
  std::optional<std::size_t> promoted;  // the current primary, once a replica was promoted
};

ReplicaCluster::ReplicaCluster(int replicas) : state_(std::make_unique<State>(make_test_root())) {
  if (replicas < 1 || replicas > 3) throw std::invalid_argument("ReplicaCluster: 1..3 replicas");
  state_->primary.start();
  app::configure_primary_for_replicas(state_->primary.data_dir(), state_->primary.port());
  for (std::size_t i = 0; i < static_cast<std::size_t>(replicas); ++i) {
    state_->replicas.push_back(
        std::make_unique<app::EmbeddedReplica>(replica_options(state_->root, state_->primary, i)));
    state_->replicas.back()->start();
  }
}

ReplicaCluster::~ReplicaCluster() = default;

std::size_t ReplicaCluster::replica_count() const {
  return state_->replicas.size();
}

std::string ReplicaCluster::primary_url(std::string_view database) const {
  return state_->primary.url(database);
}

std::string ReplicaCluster::replica_url(std::size_t i, std::string_view database) const {
  return state_->replica(i).url(database);
}

std::vector<std::string> ReplicaCluster::replica_urls(std::string_view database) const {
  std::vector<std::string> urls;
  for (std::size_t i = 0; i < replica_count(); ++i) urls.push_back(replica_url(i, database));
  return urls;
}

int ReplicaCluster::primary_port() const {
  return state_->primary.port();
}

int ReplicaCluster::replica_port(std::size_t i) const {
  return state_->replica(i).port();
}

std::string ReplicaCluster::create_migrated_database() {
  const std::string name = "test_" + std::to_string(state_->databases++);
  pg::BlockingConnection(primary_admin_conninfo()).exec("CREATE DATABASE " + name);
  ops::migrate_up(primary_url(name), ops::MigrationSet::embedded());
  for (std::size_t i = 0; i < replica_count(); ++i) wait_replayed(i);
  return name;
}

void ReplicaCluster::pause_replay(std::size_t i) {
  const std::string conninfo = replica_admin_conninfo(i);
  pg::BlockingConnection(conninfo).exec("SELECT pg_wal_replay_pause()");
  wait_until(
      [&] { return query_value(conninfo, "SELECT pg_get_wal_replay_pause_state()") == "paused"; },
      10s, "replay paused on replica " + std::to_string(i), [&] { return replica_log_tail(i); });
}

void ReplicaCluster::resume_replay(std::size_t i) {
  pg::BlockingConnection(replica_admin_conninfo(i)).exec("SELECT pg_wal_replay_resume()");
}

void ReplicaCluster::kill(std::size_t i) {
  state_->replica(i).kill();
}

void ReplicaCluster::restart(std::size_t i) {
  state_->replica(i).stop();
  state_->replica(i).start();
}

void ReplicaCluster::stop_primary() {
  state_->primary.stop();
}

void ReplicaCluster::kill_primary() {
  state_->primary.kill();
}

void ReplicaCluster::start_primary() {
  state_->primary.start();
}

void ReplicaCluster::promote(std::size_t i) {
  app::EmbeddedReplica& replica = state_->replica(i);
  const std::vector<std::string> argv{
      "/usr/lib/postgresql/15/bin/pg_ctl", "promote", "-D", replica.data_dir(), "-w", "-t", "60"};
  const app::ChildOptions options{argv, app::embedded_child_user("postgres"), "", "", SIGKILL, {},
                                  false};
  auto pg_ctl = app::ChildProcess::spawn(options);
  const auto status = pg_ctl.wait_for(90s);
  if (!status || *status != 0) {
    throw std::runtime_error("ReplicaCluster: pg_ctl promote of replica " + std::to_string(i) +
                             " failed; server log:\n" + replica.log_tail());
  }
  const std::string conninfo = replica_admin_conninfo(i);
  wait_until([&] { return query_value(conninfo, "SELECT pg_is_in_recovery()") == "f"; }, 60s,
             "promotion of replica " + std::to_string(i), [&] { return replica.log_tail(); });
  state_->promoted = i;
}

void ReplicaCluster::follow(std::size_t i, std::size_t j) {
  app::EmbeddedReplica& source = state_->replica(j);
  pg::BlockingConnection(source.admin_conninfo())
      .exec_params("SELECT pg_create_physical_replication_slot($1, true)", {slot_name(i)});
  const std::string conninfo =
      app::embedded_socket_conninfo(source.data_dir(), source.port(), "postgres") +
      " application_name=" + slot_name(i);
  std::string literal = "'";  // ALTER SYSTEM takes no parameters: a standard SQL literal
  for (const char c : conninfo) literal += c == '\'' ? std::string("''") : std::string(1, c);
  pg::BlockingConnection replica(replica_admin_conninfo(i));
  replica.exec("ALTER SYSTEM SET primary_conninfo = " + literal + "'");
  replica.exec("SELECT pg_reload_conf()");
}

void ReplicaCluster::wait_replayed(std::size_t i, std::chrono::milliseconds timeout) {
  const std::string target = primary_lsn();
  const std::string conninfo = replica_admin_conninfo(i);
  wait_until(
      [&] {
        return query_value(conninfo, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", {target}) ==
               "t";
      },
      timeout, "replay of " + target + " on replica " + std::to_string(i),
      [&] { return replica_log_tail(i); });
}

std::string ReplicaCluster::replay_lsn(std::size_t i) const {
  return query_value(replica_admin_conninfo(i), "SELECT pg_last_wal_replay_lsn()").value_or("");
}

std::string ReplicaCluster::primary_lsn() const {
  const std::string conninfo =
      state_->promoted ? replica_admin_conninfo(*state_->promoted) : primary_admin_conninfo();
  return query_value(conninfo, "SELECT pg_current_wal_lsn()").value_or("");
}

std::uint64_t ReplicaCluster::system_identifier() const {
  return system_identifier_of(primary_url("postgres"));
}

std::string ReplicaCluster::replica_data_dir(std::size_t i) const {
  return state_->replica(i).data_dir();
}

std::string ReplicaCluster::replica_log_tail(std::size_t i) const {
  return state_->replica(i).log_tail();
}

std::string ReplicaCluster::primary_data_dir() const {
  return state_->primary.data_dir();
}

std::string ReplicaCluster::primary_admin_conninfo() const {
  return app::embedded_socket_conninfo(state_->primary.data_dir(), primary_port(), "postgres");
}

std::string ReplicaCluster::replica_admin_conninfo(std::size_t i) const {
  return state_->replica(i).admin_conninfo();
}

std::string ReplicaCluster::slot_name(std::size_t i) const {
  return state_->replica(i).slot_name();
}

bool ReplicaCluster::wal_retained(std::size_t i) const {
  return state_->replica(i).wal_retained();
}

void ReplicaCluster::drop_slot(std::size_t i) {
  state_->replica(i).drop_slot();
}

void ReplicaCluster::rebuild(std::size_t i) {
  state_->replica(i).rebuild();
}

std::uint64_t system_identifier_of(const std::string& url) {
  const auto value = query_value(url, "SELECT system_identifier FROM pg_control_system()");
  if (!value) throw std::runtime_error("system_identifier_of: no pg_control_system row");
  return static_cast<std::uint64_t>(std::stoll(*value));
}

}  // namespace utxoiq::testing
