#pragma once
// The HTTP/1.1 server: Beast over Asio, C++20 coroutines, on the io_context the app runs (one
// thread does all HTTP, PostgreSQL and Redis I/O). Beast and the rest of Asio stay in server.cpp.
//
//   http::Router router;  router.get("/healthz", healthz, {.name = "healthz", .min_role = {}});
//   http::Server server(io, std::move(router), {.host = "127.0.0.1", .port = 8080});
//   server.use(auth);  server.use(rate_limit);
//   server.start();                        // throws ListenError when the port is taken
//   ... co_await server.shutdown(10s);     // on SIGTERM
//
// Per connection, requests are handled one after another (pipelined requests wait their turn).
// The header is read first and the middleware (authentication, rate limits) decides on it alone:
// no body byte is read and no 100 Continue sent for a request it refuses. The body is read last,
// within the route's limit: a body over it gets 413 problem+json. Every refused request ends its
// connection after the client's data is drained, never with a bare reset. A malformed request
// gets 400. Over max_connections, a new connection is closed at once (and counted in
// http_connections_refused_total): descriptors stay for the database and Redis pools.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "http/middleware.hpp"
#include "http/router.hpp"
#include "util/task.hpp"

namespace boost::asio {
class io_context;
}

namespace utxoiq::obs {
class Registry;
}

namespace utxoiq::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IP address or a name resolved at start()
  std::uint16_t port = 8080;       // 0: a free port chosen by the system (see bound_port)
  // From the accept of a connection to its first byte: an idle connection costs a descriptor.
  std::chrono::milliseconds first_byte_timeout{5'000};
  // From the first byte of a request to the end of its header.
  std::chrono::milliseconds header_timeout{10'000};
  // Reading a request's body.
  std::chrono::milliseconds body_timeout{60'000};
  // A keep-alive connection waiting for its next request is closed after this.
  std::chrono::milliseconds idle_timeout{60'000};
  // Writing a response to a client that does not read.
  std::chrono::milliseconds write_timeout{30'000};
  // Request line plus header fields; larger gets 431.
  std::size_t header_limit = 16 * 1024;
  int backlog = 1024;
  // SO_REUSEPORT on the listening socket: the worker processes of `serve --workers N` each listen
  // on the one port and the kernel spreads new connections among them. Off for a single process,
  // so that a second service started on a port in use fails instead of sharing it.
  bool reuse_port = false;
  // Open connections at most; 0: no cap. See default_max_connections.
  std::size_t max_connections = 0;
  // One JSON line per request (see access_log.hpp).
  bool access_log = true;
  // Where the HTTP metrics go; nullptr: obs::default_registry().
  obs::Registry* metrics = nullptr;
};

// The address could not be listened on (in use, not ours, not resolvable). The app exits with
// kExitListenFailed.
class ListenError : public std::runtime_error {
 public:
  ListenError(const std::string& host, std::uint16_t port, std::error_code error);
  const std::string& host() const noexcept { return host_; }
  std::uint16_t port() const noexcept { return port_; }
  std::error_code error() const noexcept { return error_; }

 private:
  std::string host_;
  std::uint16_t port_;
  std::error_code error_;
};

// The descriptor limit of this process (RLIMIT_NOFILE) less `reserved` (the database and Redis
// connections, files, the listener), at least 16.
std::size_t default_max_connections(std::size_t reserved);

class Server {
 public:
  Server(boost::asio::io_context& io, Router router, ServerOptions options = {});
  // Closes everything at once (stop()). Destroy it on the io thread, or with the loop stopped.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Adds a middleware after the ones already added (auth, then rate limit). Before start() only.
  void use(Middleware middleware);
  // Adds a translation of lower-layer exceptions into problems. Before start() only.
  void map_exceptions(ExceptionMapper mapper);

  // Binds, listens and starts accepting on the io_context (which the caller runs).
  // Throws ListenError when the address cannot be used.
  void start();
  // The port listened on (the chosen one when options.port was 0); 0 before start().
  std::uint16_t bound_port() const;
  const Router& router() const;

  // Graceful stop, on the io thread: stops accepting, closes idle keep-alive connections at once,
  // lets requests in flight finish (their responses carry Connection: close) and waits for their
  // connections to close, at most `grace`; then closes whatever is left.
  Task<void> shutdown(std::chrono::milliseconds grace);
  // Immediate stop: the acceptor and every connection are closed now.
  void stop();

  std::size_t open_connections() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace utxoiq::http
