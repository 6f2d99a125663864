// A streaming replica of the embedded primary; see embedded_replica.hpp.
#include "app/embedded_replica.hpp"

#include <signal.h>
#include <unistd.h>

#include <cassert>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "app/child_process.hpp"
#include "app/embedded_postgres.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Files of the primary's data dir that pg_basebackup copies but that are the primary's own: the
// replica keeps its own port and log.
constexpr const char* kPrimaryOnlyFiles[] = {"utxoiq_embedded.port", "postgres.log"};

EmbeddedPostgresOptions server_options(const EmbeddedReplicaOptions& options) {
  EmbeddedPostgresOptions server;
  server.data_dir = options.data_dir;
  server.port = options.port;
  server.bin_dir = options.bin_dir;
  server.database = options.database;
  server.durable = options.durable;
  server.start_timeout = options.start_timeout;
  server.system_user = options.system_user;
  server.standby = true;
  // Feedback keeps the primary from vacuuming rows a replica's running read still needs, so
  // long reads on a replica are not cancelled.
  server.settings = {{"hot_standby_feedback", "on"}};
  server.settings.insert(server.settings.end(), options.settings.begin(), options.settings.end());
  return server;
}

bool is_plain_word(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

void configure_primary_for_replicas(const std::string& primary_data_dir, int primary_port,
                                    std::string_view max_slot_wal_keep_size) {
  assert(is_plain_word(max_slot_wal_keep_size));
  pg::BlockingConnection admin(
      embedded_socket_conninfo(primary_data_dir, primary_port, "postgres"));
  admin.exec("ALTER SYSTEM SET max_slot_wal_keep_size = '" + std::string(max_slot_wal_keep_size) +
             "'");
  admin.exec("SELECT pg_reload_conf()");
}

EmbeddedReplica::EmbeddedReplica(EmbeddedReplicaOptions options) : options_(std::move(options)) {
  if (options_.data_dir.empty() || options_.primary_data_dir.empty()) {
    throw std::invalid_argument("EmbeddedReplica: empty data dir");
  }
  if (!is_plain_word(options_.slot_name)) {
    throw std::invalid_argument("EmbeddedReplica: slot name must be letters, digits and '_'");
  }
  options_.data_dir = fs::absolute(options_.data_dir).lexically_normal().string();
  const fs::path own = options_.data_dir;
  const fs::path primary = fs::absolute(options_.primary_data_dir).lexically_normal();
  if (own.string().starts_with(primary.string() + "/") || own == primary) {
    throw std::invalid_argument("EmbeddedReplica: " + own.string() +
                                " is inside the primary's data dir");
  }
  server_ = std::make_unique<EmbeddedPostgres>(server_options(options_));
}

EmbeddedReplica::~EmbeddedReplica() = default;  // EmbeddedPostgres's destructor stops it

void EmbeddedReplica::start() {
  if (!fs::exists(fs::path(options_.data_dir) / "PG_VERSION")) base_backup();
  server_->start();
}

void EmbeddedReplica::stop() {
  server_->stop();
}

void EmbeddedReplica::kill() {
  server_->kill();
}

bool EmbeddedReplica::running() {
  return server_->running();
}

int EmbeddedReplica::port() const {
  return server_->port();
}

std::string EmbeddedReplica::url() const {
  return server_->url();
}

std::string EmbeddedReplica::url(std::string_view database) const {
  return server_->url(database);
}

std::string EmbeddedReplica::admin_conninfo() const {
  return embedded_socket_conninfo(options_.data_dir, port(), "postgres");
}

std::string EmbeddedReplica::log_tail() const {
  return server_->log_tail();
}

bool EmbeddedReplica::wal_retained() const {
  pg::BlockingConnection primary(
      embedded_socket_conninfo(options_.primary_data_dir, options_.primary_port, "postgres"));
  const auto result = primary.exec_params(
      "SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1", {options_.slot_name});
  return !result.rows.empty() && result.rows[0][0].value_or("lost") != "lost";
}

void EmbeddedReplica::rebuild() {
  server_->stop();
  fs::remove_all(options_.data_dir);
  start();
}

// A slot still held by the walsender of a replica that was just killed cannot be dropped: end
// that walsender first (it would time out by itself only after wal_sender_timeout).
void EmbeddedReplica::drop_slot() const {
  pg::BlockingConnection primary(
      embedded_socket_conninfo(options_.primary_data_dir, options_.primary_port, "postgres"));
  for (int attempt = 0;; ++attempt) {
    primary.exec_params(
        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
        "WHERE slot_name = $1 AND active_pid IS NOT NULL",
        {options_.slot_name});
    try {
      primary.exec_params(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
          "WHERE slot_name = $1",
          {options_.slot_name});
      return;
    } catch (const pg::BlockingConnectionError& e) {
      if (e.sqlstate() != "55006" || attempt >= 50) throw;  // 55006: slot is active
      std::this_thread::sleep_for(100ms);
    }
  }
}

// Into a sibling directory renamed into place when complete, so a failed copy never looks like
// a replica. -C -S: the slot is created by the copy itself, so no WAL is lost between the two.
void EmbeddedReplica::base_backup() {
  drop_slot();
  const std::string partial = options_.data_dir + ".basebackup";
  fs::remove_all(partial);
  make_server_dir(partial, options_.system_user);
  const std::string log = partial + ".log";
  fs::remove(log);
  std::vector<std::string> argv{
      options_.bin_dir + "/pg_basebackup",
      "-D",
      partial,
      "-d",
      embedded_socket_conninfo(options_.primary_data_dir, options_.primary_port, "postgres") +
          " application_name=" + options_.slot_name,
      "-X",
      "stream",
      "-R",
      "-C",
      "-S",
      options_.slot_name,
      "--checkpoint=fast"};
  if (!options_.durable) argv.push_back("--no-sync");
  const ChildOptions child{argv, embedded_child_user(options_.system_user), log, "", SIGKILL, {},
                           false};
  ChildProcess copy = ChildProcess::spawn(child);
  const auto status = copy.wait_for(std::chrono::minutes(30));
  const std::string output = read_log_tail(log);
  fs::remove(log);
  if (!status || *status != 0) {
    fs::remove_all(partial);
    throw std::runtime_error("pg_basebackup for the replica " + options_.data_dir + " failed (" +
                             (status ? ChildProcess::describe_status(*status) : "timed out") +
                             "):\n" + output);
  }
  for (const char* name : kPrimaryOnlyFiles) fs::remove(fs::path(partial) / name);
  fs::remove_all(options_.data_dir);
  fs::rename(partial, options_.data_dir);
}

}  // namespace utxoiq::app
