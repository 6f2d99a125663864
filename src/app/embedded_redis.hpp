#pragma once
// A private redis-server run by the service (`serve` with no REDIS_URL, when redis-server is
// installed) and by the integration-test harness: loopback only, no persistence (it is a cache),
// stopped with SIGTERM. No hiredis here: a raw "AUTH"+"PING" on a socket shows it is up.
//
// Closed to other local users: a password (generated once into a 0600 file of its 0700 data dir,
// part of url() only, which no log line shows), CONFIG renamed away (so even a client with the
// password cannot repoint `dir` and write files), a memory bound with LRU eviction (a cache must
// not grow until the kernel kills it), and when we are root it runs as an unprivileged user.
#include <chrono>
#include <string>
#include <vector>

#include "app/child_process.hpp"

namespace utxoiq::app {

struct EmbeddedRedisOptions {
  std::string data_dir;  // redis-server's own directory (--dir), created; holds its log
  // 0: the port of this object's previous start, else that of the previous run (a file in
  // the data dir) when still free, else a free one.
  int port = 0;
  std::string executable;                 // empty: redis-server found in PATH
  std::vector<std::string> config_lines;  // extra redis.conf lines, after ours
  std::chrono::seconds start_timeout{30};
  std::chrono::seconds stop_timeout{10};
  std::string maxmemory = "256mb";  // then allkeys-lru eviction
  // Who runs redis-server when we are root; `nobody` when this user does not exist.
  std::string system_user = "redis";
};

class EmbeddedRedis {
 public:
  // Whether a redis-server is installed (in PATH).
  static bool available();
  // True when 127.0.0.1:port answers PING (after AUTH with `password` when not empty) with +PONG
  // within about a second.
  static bool ping(int port, const std::string& password = "");

  explicit EmbeddedRedis(EmbeddedRedisOptions options);
  ~EmbeddedRedis();  // stop()s a running server
  EmbeddedRedis(const EmbeddedRedis&) = delete;
  EmbeddedRedis& operator=(const EmbeddedRedis&) = delete;

  // Starts redis-server and waits until it answers PING; throws std::runtime_error with its log
  // tail when it does not within start_timeout. A no-op when already running.
  void start();
  // SIGTERM and wait; SIGKILL after stop_timeout. A no-op when not running.
  void stop();
  // SIGKILL, for crash tests.
  void kill();
  bool running();

  int port() const { return port_; }                         // 0 before the first start
  std::string url() const;                                   // redis://:PASSWORD@127.0.0.1:PORT
  const std::string& password() const { return password_; }  // empty before the first start
  std::string log_path() const;

 private:
  void write_config(const std::string& path);

  EmbeddedRedisOptions options_;
  int port_ = 0;
  std::string password_;
  ChildProcess server_;
};

}  // namespace utxoiq::app
