#pragma once
// The running service: the PostgreSQL pool, its health monitor, the HTTP server and every route,
// on one io_context thread (docs/architecture.md, "Threads"). `serve` runs it on the main thread
// until SIGINT/SIGTERM; integration tests start it in-process on a thread of its own:
//
//   app::Service service(config, database_url, redis_url);
//   service.start();                 // returns once it listens (port 0 in config: a free one)
//   ... requests to 127.0.0.1:service.port() ...
//   service.stop();                  // the same graceful shutdown as SIGTERM
//
// It starts no servers of its own: the embedded PostgreSQL and Redis are run_serve's business,
// and migrations are applied before a Service is made.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "http/router.hpp"

namespace utxoiq::app {

class Service {
 public:
  // `database_url`: the primary; `redis_url`: empty for none. Nothing connects before run/start.
  Service(ServeConfig config, std::string database_url, std::string redis_url);
  ~Service();  // stop()s a service start()ed and still running
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Serves on the calling thread until SIGINT/SIGTERM, then shuts down gracefully. Returns the
  // exit code (exit_codes.hpp); a start failure is printed as one line on stderr.
  int run();

  // Serves on a thread of its own; returns once the server listens. Throws what made the start
  // fail (ListenError, pg::ConnectionError, ...).
  void start();
  // Graceful shutdown of a start()ed service, as on SIGTERM; returns when it is done.
  void stop();

  // The port listened on (the chosen one when the configured port was 0); 0 before serving.
  std::uint16_t port() const;
  // Every route the running server has (empty before serving), e.g. to check /openapi.json.
  std::vector<http::RouteInfo> routes() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// "HOST:PORT" or "[v6]:PORT" into its parts; false when malformed.
bool parse_listen_address(const std::string& text, std::string& host, std::uint16_t& port);

}  // namespace utxoiq::app
