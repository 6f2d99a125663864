// The embedded PostgreSQL cluster; see embedded_postgres.hpp.
#include "app/embedded_postgres.hpp"

#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>

#include "app/embedded_secret.hpp"
#include "app/free_port.hpp"

namespace utxoiq::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kPortFile = "utxoiq_embedded.port";  // our own file; postgres ignores it
constexpr const char* kLogFile = "postgres.log";
constexpr const char* kSecretFile = "utxoiq_embedded.password";  // the superuser's password
constexpr const char* kPassFile = "utxoiq_embedded.pgpass";      // the same, for libpq's passfile

// Written at every start, so a cluster made by an older version (trust over TCP) is closed too.
// The socket is in the data dir (mode 0700): only the server's user and root reach it, so trust
// there is safe and lets us set the password. TCP needs the password (a local user without it
// is refused).
constexpr const char* kHbaConf =
    "# Written by utxoiq-store at every start; edits are lost.\n"
    "local all all trust\n"
    "local replication all trust\n"
    "host all all 127.0.0.1/32 scram-sha-256\n"
    "host all all ::1/128 scram-sha-256\n";

bool running_as_root() {
  return geteuid() == 0;
}

struct SystemUser {
  uid_t uid;
  gid_t gid;
};

SystemUser lookup_system_user(const std::string& name) {
  const passwd* entry = getpwnam(name.c_str());
  if (!entry) {
    throw std::runtime_error(
        "embedded PostgreSQL: we run as root and PostgreSQL refuses root, "
        "but there is no '" +
        name + "' system user to run it as");
  }
  return {entry->pw_uid, entry->pw_gid};
}

// The user the child processes run as: nobody else when we are not root.
std::string child_user(const EmbeddedPostgresOptions& options) {
  return running_as_root() ? options.system_user : std::string();
}

void chown_tree(const fs::path& root, SystemUser user) {
  if (lchown(root.c_str(), user.uid, user.gid) != 0) {
    throw std::runtime_error("cannot chown " + root.string() + ": " + std::strerror(errno));
  }
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (lchown(entry.path().c_str(), user.uid, user.gid) != 0) {
      throw std::runtime_error("cannot chown " + entry.path().string() + ": " +
                               std::strerror(errno));
    }
  }
}

// As root, the server runs as `user`: every directory above the data dir must let it through,
// or postgres fails with a bare "Permission denied". Say which directory it is instead.
void check_reachable(const fs::path& data_dir, const std::string& user_name) {
  const SystemUser user = lookup_system_user(user_name);
  for (fs::path dir = data_dir.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    struct stat info {};
    if (stat(dir.c_str(), &info) != 0) break;
    const bool passes = (info.st_mode & S_IXOTH) ||
                        (info.st_uid == user.uid && (info.st_mode & S_IXUSR)) ||
                        (info.st_gid == user.gid && (info.st_mode & S_IXGRP));
    if (!passes) {
      throw std::runtime_error("embedded PostgreSQL runs as '" + user_name +
                               "', which cannot enter " + dir.string() + " (above the data dir " +
                               data_dir.string() + "): chmod o+x it or choose another data dir");
    }
    if (dir == dir.root_path()) break;
  }
}

// --- stale lock files -----------------------------------------------------------------------
// postgres refuses to start while the pid in postmaster.pid (or a socket's .lock file) is alive.
// After a crash in a container the pid is often reused by an unrelated process, so we decide
// ourselves: the lock is stale unless that pid is a postgres whose working directory (a
// postmaster chdirs into its data dir) is this data dir.

std::string read_proc(pid_t pid, const char* what) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + what, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool lock_is_stale(const fs::path& lock_file, const fs::path& data_dir) {
  std::ifstream in(lock_file);
  long recorded = 0;
  if (!(in >> recorded) || recorded == 0) return true;        // empty or garbage: a torn write
  const pid_t pid = static_cast<pid_t>(std::labs(recorded));  // negative: single-user mode
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  const std::string cmdline = read_proc(pid, "cmdline");
  const std::string program = fs::path(cmdline.substr(0, cmdline.find('\0'))).filename().string();
  if (program.find("postgres") == std::string::npos &&
      program.find("postmaster") == std::string::npos) {
    return true;
  }
  std::error_code error;
  const fs::path cwd = fs::read_symlink("/proc/" + std::to_string(pid) + "/cwd", error);
  if (error) return false;  // cannot tell (not ours to inspect): let postgres decide
  return !fs::equivalent(cwd, data_dir, error);
}

void remove_stale_locks(const fs::path& data_dir) {
  std::vector<fs::path> locks{data_dir / "postmaster.pid"};
  for (const auto& entry : fs::directory_iterator(data_dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".s.PGSQL.") && name.ends_with(".lock")) locks.push_back(entry.path());
  }
  for (const auto& lock : locks) {
    if (!fs::exists(lock) || !lock_is_stale(lock, data_dir)) continue;
    fs::remove(lock);
    if (lock.extension() == ".lock") fs::remove(lock.parent_path() / lock.stem());  // the socket
  }
}

// Line 8 of postmaster.pid is the postmaster's state ("starting", "ready", "stopping"), as
// pg_ctl reads it. Waiting for "ready" before PQping keeps the server log free of a FATAL "not
// yet accepting connections" per poll during a long crash recovery.
bool postmaster_ready(const fs::path& data_dir, pid_t pid) {
  std::ifstream in(data_dir / "postmaster.pid");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (number == 1 && line != std::to_string(pid)) return false;  // a previous run's file
    if (number == 8) return line.starts_with("ready");
  }
  return false;
}

// --- libpq helpers --------------------------------------------------------------------------

std::string keyword_conninfo(int port, const std::string& database) {
  // sslmode=disable: a PGSSLMODE=require in the environment must not break our own checks.
  return "host=127.0.0.1 port=" + std::to_string(port) + " user=postgres dbname=" + database +
         " connect_timeout=5 sslmode=disable";
}

// A conninfo value in single quotes, so a data dir with spaces or quotes stays one value.
std::string quoted(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

struct PgConnDeleter {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, PgConnDeleter>;
using Result = std::unique_ptr<PGresult, PgResultDeleter>;

// Line 4 of postmaster.pid is the port the postmaster listens on.
int postmaster_port(const fs::path& data_dir) {
  std::ifstream in(data_dir / "postmaster.pid");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (number == 4) return std::atoi(line.c_str());
  }
  return 0;
}

}  // namespace

int running_postmaster_port(const std::string& data_dir) {
  const fs::path dir = data_dir;
  std::error_code error;
  if (!fs::exists(dir / "postmaster.pid", error)) return 0;
  if (lock_is_stale(dir / "postmaster.pid", dir)) return 0;
  std::ifstream in(dir / "postmaster.pid");
  std::string pid;
  std::getline(in, pid);
  if (!postmaster_ready(dir, static_cast<pid_t>(std::atol(pid.c_str())))) return 0;
  const int port = postmaster_port(dir);
  if (port <= 0) return 0;
  return PQping(keyword_conninfo(port, "postgres").c_str()) == PQPING_OK ? port : 0;
}

std::string embedded_url(int port, std::string_view database, const std::string& data_dir) {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/" + std::string(database) +
         "?passfile=" + percent_encode(embedded_passfile(data_dir));
}

std::string embedded_passfile(const std::string& data_dir) {
  return data_dir + "/" + kPassFile;
}

std::string embedded_socket_conninfo(const std::string& data_dir, int port,
                                     const std::string& database) {
  return "host=" + quoted(data_dir) + " port=" + std::to_string(port) +
         " user=postgres dbname=" + quoted(database) + " connect_timeout=5";
}

std::string embedded_child_user(const std::string& system_user) {
  return running_as_root() ? system_user : std::string();
}

void make_server_dir(const std::string& dir, const std::string& system_user) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  if (const std::string user = embedded_child_user(system_user); !user.empty()) {
    check_reachable(dir, user);
    chown_tree(dir, lookup_system_user(user));
  }
}

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresOptions options) : options_(std::move(options)) {
  if (options_.data_dir.empty()) throw std::invalid_argument("EmbeddedPostgres: empty data_dir");
  // postgres chdirs into the data dir and the socket path is built from it: make it absolute.
  options_.data_dir = fs::absolute(options_.data_dir).lexically_normal().string();
  if (options_.data_dir.size() > 1 && options_.data_dir.back() == '/') options_.data_dir.pop_back();
}

EmbeddedPostgres::~EmbeddedPostgres() {
  try {
    stop();
  } catch (...) {
    // A destructor must not throw; ChildProcess's destructor SIGKILLs what is left.
  }
}

std::string EmbeddedPostgres::url() const {
  return url(options_.database);
}

std::string EmbeddedPostgres::url(std::string_view database) const {
  return embedded_url(port_, database, options_.data_dir);
}

std::string EmbeddedPostgres::log_path() const {
  return options_.data_dir + "/" + kLogFile;
}

std::string EmbeddedPostgres::log_tail() const {
  return read_log_tail(log_path());
}

bool EmbeddedPostgres::running() {
  return postmaster_.running();
}

void EmbeddedPostgres::start() {
  if (running()) return;
  ensure_cluster();
  prepare_data_dir();
  spawn_and_wait();
  if (options_.standby) return;
  set_superuser_password();
  create_database();
}

// initdb into a sibling directory that is renamed into place when complete, so a crash during
// initdb never leaves a half-made cluster that every later start would trip over.
void EmbeddedPostgres::ensure_cluster() {
  const fs::path data_dir = options_.data_dir;
  if (fs::exists(data_dir / "PG_VERSION")) return;
  if (fs::exists(data_dir) && !fs::is_empty(data_dir)) {
    throw std::runtime_error("embedded PostgreSQL: " + data_dir.string() +
                             " is not empty and holds no PostgreSQL cluster (no PG_VERSION); "
                             "refusing to touch it");
  }
  const fs::path partial = data_dir.string() + ".initdb";
  fs::remove_all(partial);
  fs::create_directories(partial);
  fs::permissions(partial, fs::perms::owner_all, fs::perm_options::replace);
  const std::string user = child_user(options_);
  if (!user.empty()) {
    check_reachable(partial, user);
    chown_tree(partial, lookup_system_user(user));
  }

  char log_template[] = "/tmp/utxoiq-initdb-XXXXXX";
  const int log_fd = mkstemp(log_template);
  if (log_fd < 0) throw std::runtime_error(std::string("mkstemp: ") + std::strerror(errno));
  close(log_fd);
  const std::string log = log_template;

  std::vector<std::string> argv{options_.bin_dir + "/initdb",
                                "-D",
                                partial.string(),
                                "-U",
                                "postgres",
                                "-E",
                                "UTF8",
                                "--locale=C",
                                "-A",
                                "trust"};
  if (!options_.durable) argv.push_back("--no-sync");
  ChildOptions child{argv, user, log, partial.string(), SIGKILL, {}, false};
  std::optional<int> status;
  try {
    ChildProcess initdb = ChildProcess::spawn(child);
    status = initdb.wait_for(120s);  // seconds normally; minutes only on a very slow disk
  } catch (...) {
    fs::remove(log);
    throw;
  }
  const std::string output = read_log_tail(log);
  fs::remove(log);
  if (!status || *status != 0) {
    fs::remove_all(partial);
    throw std::runtime_error("initdb for " + data_dir.string() + " failed (" +
                             (status ? ChildProcess::describe_status(*status) : "timed out") +
                             "):\n" + output);
  }
  fs::create_directories(data_dir.parent_path());
  fs::rename(partial, data_dir);  // replaces an empty data_dir too
}

void EmbeddedPostgres::prepare_data_dir() {
  const fs::path data_dir = options_.data_dir;
  const std::string user = child_user(options_);
  if (!user.empty()) {
    check_reachable(data_dir, user);
    // A cluster made by another user (or copied in) must belong to the server's user.
    const SystemUser owner = lookup_system_user(user);
    struct stat info {};
    if (stat(data_dir.c_str(), &info) == 0 && info.st_uid != owner.uid) chown_tree(data_dir, owner);
  }
  // postgres refuses a data dir others can read.
  fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace);
  remove_stale_locks(data_dir);
  write_access_files();

  const std::string socket = data_dir.string() + "/.s.PGSQL.65535";
  if (socket.size() >= sizeof(sockaddr_un::sun_path)) {
    throw std::runtime_error("embedded PostgreSQL: data dir path " + data_dir.string() +
                             " is too long for its Unix socket (limit " +
                             std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes)");
  }
}

// pg_hba.conf, the password and the passfile, owned by the server's user (mode 0600).
void EmbeddedPostgres::write_access_files() {
  std::optional<FileOwner> owner;
  if (const std::string user = child_user(options_); !user.empty()) {
    const SystemUser system = lookup_system_user(user);
    owner = FileOwner{system.uid, system.gid};
  }
  const std::string dir = options_.data_dir + "/";
  write_private_file(dir + "pg_hba.conf", kHbaConf, owner);
  password_ = read_or_create_secret(dir + kSecretFile, owner);
  write_private_file(dir + kPassFile, "*:*:*:postgres:" + password_ + "\n", owner);
}

// The superuser's password, sent as a SCRAM verifier (never in clear text) over the socket.
void EmbeddedPostgres::set_superuser_password() {
  Connection admin(
      PQconnectdb(embedded_socket_conninfo(options_.data_dir, port_, "postgres").c_str()));
  if (PQstatus(admin.get()) != CONNECTION_OK) {
    throw std::runtime_error("embedded PostgreSQL: cannot connect through its socket: " +
                             std::string(PQerrorMessage(admin.get())));
  }
  assert(!password_.empty());
  char* verifier =
      PQencryptPasswordConn(admin.get(), password_.c_str(), "postgres", "scram-sha-256");
  if (!verifier) throw std::runtime_error("embedded PostgreSQL: cannot hash the password");
  const std::string sql = "ALTER ROLE postgres PASSWORD '" + std::string(verifier) + "'";
  PQfreemem(verifier);
  Result altered(PQexec(admin.get(), sql.c_str()));
  if (PQresultStatus(altered.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error("embedded PostgreSQL: cannot set the password: " +
                             std::string(PQresultErrorMessage(altered.get())));
  }
}

void EmbeddedPostgres::spawn_and_wait() {
  const std::string port_file = options_.data_dir + "/" + kPortFile;
  port_ = choose_port(options_.port != 0 ? options_.port : port_, port_file);

  std::vector<std::string> argv{options_.bin_dir + "/postgres",
                                "-D",
                                options_.data_dir,
                                "-p",
                                std::to_string(port_),
                                "-h",
                                "127.0.0.1",
                                "-k",
                                options_.data_dir};
  std::vector<std::pair<std::string, std::string>> settings{
      {"shared_buffers", "128MB"},
      {"max_connections", "200"},
      {"logging_collector", "off"},
      {"unix_socket_permissions", "0700"},
      {"password_encryption", "scram-sha-256"}};
  if (!options_.durable) {
    settings.insert(settings.end(), {{"fsync", "off"}, {"full_page_writes", "off"}});
  }
  settings.insert(settings.end(), options_.settings.begin(), options_.settings.end());
  for (const auto& [name, value] : settings) {
    argv.push_back("-c");
    argv.push_back(name + "=" + value);
  }
  // SIGQUIT on our death: immediate shutdown, so the postmaster takes its backends along.
  const ChildOptions child{argv, child_user(options_), log_path(), options_.data_dir, SIGQUIT, {},
                           false};
  const std::string conninfo = keyword_conninfo(port_, "postgres");

  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  std::uintmax_t log_offset = log_size(log_path());
  postmaster_ = ChildProcess::spawn(child);
  for (;;) {
    if (postmaster_ready(options_.data_dir, postmaster_.pid()) &&
        PQping(conninfo.c_str()) == PQPING_OK) {
      break;
    }
    if (!postmaster_.running()) {
      const std::string log = read_log_tail(log_path(), log_offset);
      // Backends of a killed postmaster keep its shared memory attached until they notice and
      // exit; postgres refuses to start until then. Give them time, within the deadline.
      const bool old_backends = log.find("pre-existing shared memory block") != std::string::npos;
      if (old_backends && std::chrono::steady_clock::now() + 200ms < deadline) {
        std::this_thread::sleep_for(200ms);
        log_offset = log_size(log_path());
        postmaster_ = ChildProcess::spawn(child);
        continue;
      }
      throw std::runtime_error("embedded PostgreSQL in " + options_.data_dir + " " +
                               ChildProcess::describe_status(*postmaster_.exit_status()) +
                               " before accepting connections on port " + std::to_string(port_) +
                               "; its log:\n" + log);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      postmaster_.signal(SIGQUIT);
      postmaster_.wait_for(5s);
      postmaster_ = ChildProcess();  // SIGKILLs it if SIGQUIT was not enough
      throw std::runtime_error("embedded PostgreSQL in " + options_.data_dir +
                               " did not accept connections on port " + std::to_string(port_) +
                               " within " + std::to_string(options_.start_timeout.count()) +
                               " s; its log:\n" + read_log_tail(log_path(), log_offset));
    }
    std::this_thread::sleep_for(50ms);
  }
  write_port_file(port_file, port_);
  // Everything in the data dir belongs to the server's user, so a later non-root run can use it.
  if (const std::string user = child_user(options_); !user.empty()) {
    const SystemUser owner = lookup_system_user(user);
    [[maybe_unused]] const int ignored = lchown(port_file.c_str(), owner.uid, owner.gid);
  }
}

void EmbeddedPostgres::create_database() {
  if (options_.database.empty() || options_.database == "postgres") return;
  Connection admin(
      PQconnectdb(embedded_socket_conninfo(options_.data_dir, port_, "postgres").c_str()));
  if (PQstatus(admin.get()) != CONNECTION_OK) {
    throw std::runtime_error("embedded PostgreSQL: cannot connect to create the database: " +
                             std::string(PQerrorMessage(admin.get())));
  }
  const char* params[] = {options_.database.c_str()};
  Result exists(PQexecParams(admin.get(), "SELECT 1 FROM pg_database WHERE datname = $1", 1,
                             nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(exists.get()) != PGRES_TUPLES_OK) {
    throw std::runtime_error("embedded PostgreSQL: " +
                             std::string(PQresultErrorMessage(exists.get())));
  }
  if (PQntuples(exists.get()) > 0) return;
  char* quoted =
      PQescapeIdentifier(admin.get(), options_.database.data(), options_.database.size());
  const std::string sql = "CREATE DATABASE " + std::string(quoted ? quoted : "");
  PQfreemem(quoted);
  Result created(PQexec(admin.get(), sql.c_str()));
  const char* state = PQresultErrorField(created.get(), PG_DIAG_SQLSTATE);
  // 42P04 duplicate_database: another process created it between our check and now.
  if (PQresultStatus(created.get()) != PGRES_COMMAND_OK &&
      !(state && std::string(state) == "42P04")) {
    throw std::runtime_error("embedded PostgreSQL: " + sql + ": " +
                             PQresultErrorMessage(created.get()));
  }
}

void EmbeddedPostgres::stop() {
  if (!running()) return;
  postmaster_.signal(SIGINT);  // fast shutdown
  if (postmaster_.wait_for(
          std::chrono::duration_cast<std::chrono::milliseconds>(options_.stop_timeout))) {
    return;
  }
  postmaster_.signal(SIGQUIT);  // immediate shutdown: crash recovery at the next start
  if (postmaster_.wait_for(10s)) return;
  kill();
}

void EmbeddedPostgres::kill() {
  postmaster_.signal(SIGKILL);
  postmaster_.wait_for(10s);
}

}  // namespace utxoiq::app
