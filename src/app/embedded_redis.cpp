// The embedded redis-server; see embedded_redis.hpp.
#include "app/embedded_redis.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "app/embedded_secret.hpp"
#include "app/free_port.hpp"

namespace utxoiq::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string find_in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = dir + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Who owns the data dir and runs the server: an unprivileged user when we are root.
std::optional<std::pair<std::string, FileOwner>> server_user(const EmbeddedRedisOptions& options) {
  if (geteuid() != 0) return std::nullopt;
  for (const std::string& name : {options.system_user, std::string("nobody")}) {
    if (const passwd* entry = getpwnam(name.c_str())) {
      return std::make_pair(name, FileOwner{entry->pw_uid, entry->pw_gid});
    }
  }
  throw std::runtime_error("redis-server must not run as root, and there is no '" +
                           options.system_user + "' or 'nobody' user to run it as");
}

}  // namespace

bool EmbeddedRedis::available() {
  return !find_in_path("redis-server").empty();
}

bool EmbeddedRedis::ping(int port, const std::string& password) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval timeout{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool pong = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    // Inline command syntax: redis accepts a bare "PING\r\n" without RESP framing. The password
    // is base64url (no spaces), so it is one inline argument.
    const std::string request = (password.empty() ? "" : "AUTH " + password + "\r\n") + "PING\r\n";
    const std::string expected = (password.empty() ? "" : "+OK\r\n") + std::string("+PONG\r\n");
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char reply[64] = {};
      std::size_t got = 0;
      while (got < expected.size()) {
        const ssize_t n = recv(fd, reply + got, sizeof reply - 1 - got, 0);
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
      }
      pong = std::string(reply, got).starts_with(expected);
    }
  }
  close(fd);
  return pong;
}

EmbeddedRedis::EmbeddedRedis(EmbeddedRedisOptions options) : options_(std::move(options)) {
  if (options_.data_dir.empty()) throw std::invalid_argument("EmbeddedRedis: empty data_dir");
  options_.data_dir = fs::absolute(options_.data_dir).lexically_normal().string();
}

EmbeddedRedis::~EmbeddedRedis() {
  try {
    stop();
  } catch (...) {
    // A destructor must not throw; ChildProcess's destructor SIGKILLs what is left.
  }
}

std::string EmbeddedRedis::url() const {
  return "redis://:" + password_ + "@127.0.0.1:" + std::to_string(port_);
}

std::string EmbeddedRedis::log_path() const {
  return options_.data_dir + "/redis.log";
}

bool EmbeddedRedis::running() {
  return server_.running();
}

void EmbeddedRedis::start() {
  if (running()) return;
  const std::string executable =
      options_.executable.empty() ? find_in_path("redis-server") : options_.executable;
  if (executable.empty()) throw std::runtime_error("redis-server is not installed (not in PATH)");
  const auto user = server_user(options_);
  fs::create_directories(options_.data_dir);
  fs::permissions(options_.data_dir, fs::perms::owner_all, fs::perm_options::replace);
  if (user && chown(options_.data_dir.c_str(), user->second.uid, user->second.gid) != 0) {
    throw std::runtime_error("cannot chown " + options_.data_dir);
  }
  const std::string port_file = options_.data_dir + "/utxoiq_embedded.port";
  port_ = choose_port(options_.port != 0 ? options_.port : port_, port_file);
  password_ = read_or_create_secret(options_.data_dir + "/utxoiq_embedded.password",
                                    user ? std::optional(user->second) : std::nullopt);
  const std::string config_path = options_.data_dir + "/redis.conf";
  write_config(config_path);

  const std::uintmax_t log_offset = log_size(log_path());
  // SIGTERM on our death: redis exits cleanly (and saves nothing: save "").
  server_ = ChildProcess::spawn({{executable, config_path},
                                 user ? user->first : "",
                                 log_path(),
                                 options_.data_dir,
                                 SIGTERM,
                                 {}});
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (!ping(port_, password_)) {
    if (!server_.running()) {
      throw std::runtime_error("redis-server " +
                               ChildProcess::describe_status(*server_.exit_status()) +
                               " before answering PING on port " + std::to_string(port_) +
                               "; its log:\n" + read_log_tail(log_path(), log_offset));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      server_ = ChildProcess();  // SIGKILLs it
      throw std::runtime_error("redis-server did not answer PING on port " + std::to_string(port_) +
                               " within " + std::to_string(options_.start_timeout.count()) +
                               " s; its log:\n" + read_log_tail(log_path(), log_offset));
    }
    std::this_thread::sleep_for(20ms);
  }
  write_port_file(port_file, port_);
}

// A config file rather than command-line options: `save ""` survives no quoting surprises. Mode
// 0600, owned by the server's user: it holds the password.
void EmbeddedRedis::write_config(const std::string& path) {
  std::ostringstream config;
  config << "bind 127.0.0.1\n"
         << "port " << port_ << "\n"
         << "dir \"" << options_.data_dir << "\"\n"  // quoted: paths may hold spaces
         << "save \"\"\n"                            // a cache: no RDB snapshots...
         << "appendonly no\n"                        // ...and no AOF
         << "daemonize no\n"                         // we are its parent and watch it
         << "logfile \"\"\n"  // stdout, which ChildProcess appends to redis.log
         << "protected-mode yes\n"
         << "requirepass " << password_ << "\n"
         << "rename-command CONFIG \"\"\n"
         << "maxmemory " << options_.maxmemory << "\n"
         << "maxmemory-policy allkeys-lru\n";
  for (const auto& line : options_.config_lines) config << line << "\n";
  const auto user = server_user(options_);
  write_private_file(path, config.str(), user ? std::optional(user->second) : std::nullopt);
}

void EmbeddedRedis::stop() {
  if (!running()) return;
  server_.signal(SIGTERM);
  if (server_.wait_for(
          std::chrono::duration_cast<std::chrono::milliseconds>(options_.stop_timeout))) {
    return;
  }
  kill();
}

void EmbeddedRedis::kill() {
  server_.signal(SIGKILL);
  server_.wait_for(10s);
}

}  // namespace utxoiq::app
