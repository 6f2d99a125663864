// The HTTP server (see server.hpp): accept loop, one coroutine per connection, the request
// pipeline (request id, access log, metrics, middleware, handler) and graceful shutdown.
#include "http/server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <exception>
#include <limits>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/access_log.hpp"
#include "http/error_response.hpp"
#include "http/http_metrics.hpp"
#include "http/internal/scoped_executor.hpp"
#include "http/json_body_scan.hpp"
#include "http/problem.hpp"
#include "http/request_id.hpp"
#include "http/response_head.hpp"
#include "obs/logging.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
// Asio has no named option for it (ServerOptions::reuse_port says why it is used).
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 8 * 1024;
// After a 413 or 400 the client may still be sending; its data is read and dropped for this
// long (or this much) before the socket is closed, because closing a socket with unread input
// sends a reset that can destroy the response before the client reads it.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 64 * 1024 * 1024;
// Dropped per system call while lingering: the data is discarded by the kernel (MSG_TRUNC on a
// TCP socket), not copied to us, so a client pushing megabytes after a refusal costs the loop a
// few calls instead of one 8 KiB read each (docs/benchmarks.md, "Hostile bodies", round five).
constexpr std::size_t kDiscardChunk = 1024 * 1024;

// Drops up to `budget` bytes that are already queued on `socket` without copying them (Linux:
// recv with MSG_TRUNC discards TCP data); the number dropped. Never blocks.
std::size_t discard_queued(tcp::socket& socket, char* scratch, std::size_t budget) {
  std::size_t dropped = 0;
  while (dropped < budget) {
    const std::size_t want = std::min(kDiscardChunk, budget - dropped);
    const ssize_t n = ::recv(socket.native_handle(), scratch, want, MSG_TRUNC | MSG_DONTWAIT);
    if (n <= 0) break;  // nothing queued (EAGAIN), the client's EOF, or an error: the caller waits
    dropped += static_cast<std::size_t>(n);
  }
  return dropped;
}

Method to_method(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get:
      return Method::get;
    case bhttp::verb::head:
      return Method::head;
    case bhttp::verb::post:
      return Method::post;
    case bhttp::verb::put:
      return Method::put;
    case bhttp::verb::patch:
      return Method::patch;
    case bhttp::verb::delete_:
      return Method::delete_;
    case bhttp::verb::options:
      return Method::options;
    default:
      return Method::other;
  }
}

bool is_disconnect(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::operation_aborted ||
         ec == asio::error::bad_descriptor || ec == beast::error::timeout;
}

std::string_view encoded_path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

}  // namespace

std::size_t default_max_connections(std::size_t reserved) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 65536;
  const auto available = static_cast<std::size_t>(limit.rlim_cur);
  return available > reserved + 16 ? available - reserved : 16;
}

ListenError::ListenError(const std::string& host, std::uint16_t port, std::error_code error)
    : std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                         error.message()),
      host_(host),
      port_(port),
      error_(error) {}

// One open connection, for shutdown: idle ones are closed at once, busy ones are waited for.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  std::string head;  // the response head being written; its capacity is kept between responses
  bool idle = true;  // waiting for the first byte of a request
};

// One request on a connection, from the first byte of its header to its response.
struct Exchange {
  Exchange(Connection& conn, beast::flat_buffer& buf, const std::string& remote)
      : connection(conn), buffer(buf) {
    request.remote_address = remote;
  }
  Connection& connection;
  beast::flat_buffer& buffer;
  bhttp::request_parser<bhttp::string_body> parser;
  Request request;
  Clock::time_point start = Clock::now();
  unsigned version = 11;
  bool client_keep_alive = false;
  bool body_done = false;    // the request was read whole: the connection may carry another
  bool client_gone = false;  // the client closed while we read: nobody to answer
};

struct Server::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io_context, Router routes, ServerOptions server_options)
      : io(io_context),
        router(std::move(routes)),
        options(std::move(server_options)),
        metrics(options.metrics ? *options.metrics : obs::default_registry()),
        refused_connections(
            (options.metrics ? *options.metrics : obs::default_registry())
                .counter("http_connections_refused_total",
                         "Connections closed at accept because max_connections were open")
                .get()),
        drained(io_context) {}

  asio::io_context& io;
  Router router;
  ServerOptions options;
  std::vector<Middleware> middleware;
  std::vector<ExceptionMapper> mappers;
  // chain[i] runs middleware[i] with chain[i + 1] as its next; the last one runs the handler.
  std::vector<Next> chain;
  HttpMetrics metrics;
  obs::Counter& refused_connections;
  std::size_t accepted = 0;  // connections accepted and not yet closed (counted at accept)
  std::unique_ptr<tcp::acceptor> acceptor;
  std::uint16_t port = 0;
  bool started = false;
  bool stopping = false;
  std::unordered_set<Connection*> connections;
  // The requests of the connection loop now in their pipeline, for the stage that reads the body.
  std::unordered_map<const Request*, Exchange*> exchanges;
  // Woken (cancelled) when the last connection closes during a shutdown.
  asio::steady_timer drained;

  void listen();
  void build_chain();
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(tcp::socket socket);
  asio::awaitable<void> serve(Connection& connection, const std::string& remote);
  asio::awaitable<bool> wait_for_request(Connection& connection, beast::flat_buffer& buffer,
                                         bool first);
  asio::awaitable<bool> read_header(Exchange& exchange, std::optional<Problem>& problem);
  std::optional<Problem> route(Exchange& exchange);
  asio::awaitable<Response> run_pipeline(Exchange& exchange);
  asio::awaitable<void> read_body(Exchange& exchange);
  asio::awaitable<void> respond(Exchange& exchange, Response& response, bool keep_alive);
  asio::awaitable<void> respond_and_close(Exchange& exchange, Response& response);
  Task<Response> run_stage(std::size_t index, Request& request);
  Task<Response> dispatch(Request& request);
  asio::awaitable<std::size_t> write(Connection& connection, const Request& request,
                                     Response& response, unsigned version, bool keep_alive);
  asio::awaitable<void> linger_close(Connection& connection);
  void finish(const Request& request, int status, Clock::time_point start, std::size_t bytes);
  void close_all();
};

void Server::Impl::listen() {
  beast::error_code ec;
  std::vector<tcp::endpoint> endpoints;
  const auto address = asio::ip::make_address(options.host, ec);
  if (!ec) {
    endpoints.emplace_back(address, options.port);
  } else {
    tcp::resolver resolver(io);
    const auto results =
        resolver.resolve(options.host, std::to_string(options.port), tcp::resolver::passive, ec);
    if (ec) throw ListenError(options.host, options.port, ec);
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  }
  std::error_code last_error = std::make_error_code(std::errc::address_not_available);
  for (const auto& endpoint : endpoints) {
    auto candidate = std::make_unique<tcp::acceptor>(io);
    candidate->open(endpoint.protocol(), ec);
    if (!ec) candidate->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec && options.reuse_port) candidate->set_option(ReusePort(true), ec);
    if (!ec) candidate->bind(endpoint, ec);
    if (!ec) candidate->listen(options.backlog, ec);
    if (ec) {
      last_error = ec;
      continue;
    }
    port = candidate->local_endpoint().port();
    acceptor = std::move(candidate);
    return;
  }
  throw ListenError(options.host, options.port, last_error);
}

void Server::Impl::build_chain() {
  chain.resize(middleware.size() + 1);
  for (std::size_t i = 0; i < chain.size(); ++i) {
    // The lambda is not itself a coroutine: run_stage's frame holds everything it needs.
    chain[i] = [this, i](Request& request) { return run_stage(i, request); };
  }
}

Task<Response> Server::Impl::run_stage(std::size_t index, Request& request) {
  std::exception_ptr error;
  try {
    if (index < middleware.size()) co_return co_await middleware[index](request, chain[index + 1]);
    co_return co_await dispatch(request);
  } catch (...) {
    error = std::current_exception();
  }
  co_return response_for_exception(error, request, mappers);
}

Task<Response> Server::Impl::dispatch(Request& request) {
  if (request.route != nullptr) {
    // A request of the connection loop (tests of middleware call the chain without one).
    if (const auto it = exchanges.find(&request); it != exchanges.end()) {
      co_await read_body(*it->second);
    }
    co_return co_await request.route->handler(request);
  }
  if (!request.allowed_methods.empty()) throw method_not_allowed(request.allowed_methods);
  throw not_found("No resource at this path.");
}

asio::awaitable<void> Server::Impl::accept_loop() {
  auto self = shared_from_this();
  while (!stopping && acceptor) {
    auto [ec, socket] = co_await acceptor->async_accept(kUseTuple);
    if (stopping) break;
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      // Out of file descriptors and the like: log, breathe, go on.
      obs::log_warn("accept failed", {{"error", ec.message()}});
      asio::steady_timer pause(io, std::chrono::milliseconds(50));
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    beast::error_code ignored;
    if (options.max_connections != 0 && accepted >= options.max_connections) {
      socket.close(ignored);
      refused_connections.inc();
      continue;
    }
    ++accepted;
    socket.set_option(tcp::no_delay(true), ignored);
    // The connection's code runs with the connection's request context installed, inactive
    // until the request scope middleware marks it active for a request (request_scope.hpp).
    auto context = std::make_shared<obs::RequestContext>();
    context->active = false;
    asio::co_spawn(ScopedExecutor<IoExecutor>(io.get_executor(), std::move(context)),
                   session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> Server::Impl::session(tcp::socket socket) {
  auto self = shared_from_this();
  std::string remote;
  {
    beast::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (!ec) remote = endpoint.address().to_string();
  }
  Connection connection(std::move(socket));
  connections.insert(&connection);
  metrics.open_connections().inc();
  try {
    co_await serve(connection, remote);
  } catch (const std::exception& e) {
    obs::log_debug("connection ended with an error", {{"remote", remote}, {"error", e.what()}});
  }
  beast::error_code ignored;
  connection.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  connection.stream.socket().close(ignored);
  connections.erase(&connection);
  assert(accepted > 0);
  --accepted;
  metrics.open_connections().dec();
  if (stopping && connections.empty()) drained.cancel();
}

// The connection loop: wait for a request, read its header, route it, run the pipeline (whose
// last stage reads the body, so authentication and rate limits are decided on the header alone,
// before any body byte is read or 100 Continue sent), respond. Every refusal goes through
// respond_and_close; a connection goes on only when its request was read whole.
asio::awaitable<void> Server::Impl::serve(Connection& connection, const std::string& remote) {
  beast::flat_buffer buffer;
  bool first = true;
  while (!stopping) {
    if (!co_await wait_for_request(connection, buffer, first)) co_return;
    first = false;
    Exchange exchange(connection, buffer, remote);
    std::optional<Problem> problem;
    if (!co_await read_header(exchange, problem)) co_return;
    if (!problem) problem = route(exchange);
    if (problem) {
      Response response = problem_response(*problem);
      co_await respond_and_close(exchange, response);
      co_return;
    }
    Response response = co_await run_pipeline(exchange);
    if (exchange.client_gone) co_return;
    if (!exchange.body_done || !exchange.client_keep_alive || stopping) {
      co_await respond_and_close(exchange, response);
      co_return;
    }
    co_await respond(exchange, response, true);
    if (!connection.stream.socket().is_open()) co_return;
  }
}

// Waits for the first byte of the next request, unless a pipelined one is already buffered. A
// new connection gets the short first-byte deadline: an idle connection costs a descriptor.
asio::awaitable<bool> Server::Impl::wait_for_request(Connection& connection,
                                                     beast::flat_buffer& buffer, bool first) {
  if (buffer.size() != 0) {
    connection.idle = false;
    co_return true;
  }
  connection.idle = true;
  connection.stream.expires_after(first ? options.first_byte_timeout : options.idle_timeout);
  auto [ec, n] = co_await connection.stream.async_read_some(buffer.prepare(kReadChunk), kUseTuple);
  connection.idle = false;
  if (ec) co_return false;  // closed, deadline passed, or shut down
  buffer.commit(n);
  co_return true;
}

// The header into exchange.request. False: the client went away. A header that is not valid
// HTTP/1.1 (or too large) sets `problem`.
asio::awaitable<bool> Server::Impl::read_header(Exchange& exchange,
                                                std::optional<Problem>& problem) {
  auto& parser = exchange.parser;
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // set per route in read_body
  exchange.connection.stream.expires_after(options.header_timeout);
  auto [ec, bytes] = co_await bhttp::async_read_header(exchange.connection.stream, exchange.buffer,
                                                       parser, kUseTuple);
  exchange.start = Clock::now();
  Request& request = exchange.request;
  if (ec) {
    if (is_disconnect(ec)) co_return false;
    request.method = Method::other;
    request.request_id = new_request_id();
    problem = ec == bhttp::error::header_limit ? request_header_too_large()
                                               : bad_request("The request is not valid HTTP/1.1.");
    co_return true;
  }
  const auto& header = parser.get();
  request.method = to_method(header.method());
  const auto id = header.find("X-Request-Id");
  request.request_id = resolve_request_id(
      id == header.end() ? std::nullopt : std::optional<std::string_view>(id->value()));
  request.headers.reserve(std::distance(header.begin(), header.end()));
  for (const auto& field : header) {
    request.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  exchange.version = header.version();
  exchange.client_keep_alive = header.keep_alive();
  exchange.body_done = parser.is_done();
  co_return true;
}

// The target and the route. An unusable target is a problem (400), answered without the body.
std::optional<Problem> Server::Impl::route(Exchange& exchange) {
  Request& request = exchange.request;
  const std::string_view target = exchange.parser.get().target();
  try {
    set_target(request, target);
  } catch (const Problem& problem) {
    request.path = std::string(encoded_path_of(target));
    return problem;
  }
  RouteMatch match = router.match(request.method, encoded_path_of(target));
  request.route = match.route;
  if (match.route != nullptr) request.route_name = match.route->options.name;
  request.path_params = std::move(match.params);
  request.allowed_methods = std::move(match.allow);
  return std::nullopt;
}

// The pipeline. chain[0] never throws (run_stage turns errors into problems), but a failure to
// even start it must not take the connection's response with it.
asio::awaitable<Response> Server::Impl::run_pipeline(Exchange& exchange) {
  Request& request = exchange.request;
  exchanges.emplace(&request, &exchange);
  Response response;
  try {
    response = co_await chain[0](request);
  } catch (...) {
    response = response_for_exception(std::current_exception(), request, mappers);
  }
  exchanges.erase(&request);
  co_return response;
}

// The body, within the route's limit, read when the request has passed every middleware (the
// last stage of the pipeline). Throws the problem (413, 400) that refuses it.
asio::awaitable<void> Server::Impl::read_body(Exchange& exchange) {
  auto& parser = exchange.parser;
  Request& request = exchange.request;
  const std::size_t limit =
      request.route != nullptr ? request.route->options.body_limit : kDefaultBodyLimit;
  if (parser.content_length() && *parser.content_length() > limit) throw payload_too_large(limit);
  parser.body_limit(limit);
  auto& stream = exchange.connection.stream;
  if (!parser.is_done()) {
    const auto& header = parser.get();
    const auto expect = header.find(bhttp::field::expect);
    if (expect != header.end() && iequals(expect->value(), "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream.expires_after(options.write_timeout);
      auto [ec, n] = co_await asio::async_write(
          stream, asio::buffer(kContinue.data(), kContinue.size()), kUseTuple);
      if (ec) exchange.client_gone = true;
      if (ec) throw bad_request("The client went away.");
    }
    // Read in parts, each checked by the scan: a body with an array over the bound is refused
    // (422) at the read that shows it, not after all its bytes (json_body_scan.hpp).
    stream.expires_after(options.body_timeout);
    JsonBodyScan scan;
    while (!parser.is_done()) {
      auto [ec, n] = co_await bhttp::async_read_some(stream, exchange.buffer, parser, kUseTuple);
      if (ec == bhttp::error::body_limit) throw payload_too_large(limit);
      if (ec && is_disconnect(ec)) exchange.client_gone = true;
      if (ec) throw bad_request("The request body is not valid HTTP/1.1 framing.");
      scan.seen(parser.get().body());
    }
  }
  exchange.body_done = true;
  request.body = std::move(parser.get().body());
}

asio::awaitable<void> Server::Impl::respond(Exchange& exchange, Response& response,
                                            bool keep_alive) {
  const auto bytes =
      co_await write(exchange.connection, exchange.request, response, exchange.version, keep_alive);
  finish(exchange.request, response.status, exchange.start, bytes);
}

// The one way a connection ends on a refusal (or any response after which the request's body
// is not fully read): Connection: close, then the client's pending data is drained before the
// socket closes, so the response is not destroyed by a reset.
asio::awaitable<void> Server::Impl::respond_and_close(Exchange& exchange, Response& response) {
  co_await respond(exchange, response, false);
  co_await linger_close(exchange.connection);
}

asio::awaitable<std::size_t> Server::Impl::write(Connection& connection, const Request& request,
                                                 Response& response, unsigned version,
                                                 bool keep_alive) {
  const std::size_t bytes = response.body.size();
  write_response_head({.response = response,
                       .request_id = request.request_id,
                       .version = version,
                       .keep_alive = keep_alive,
                       .content_length = bytes},
                      connection.head);
  // A HEAD gets the length a GET would, and no body; nor does a status that never has one.
  const bool send_body = request.method != Method::head && !bodiless_status(response.status);
  const std::array<asio::const_buffer, 2> buffers{
      asio::buffer(connection.head),
      send_body ? asio::buffer(response.body) : asio::const_buffer{}};
  connection.stream.expires_after(options.write_timeout);
  auto [ec, n] = co_await asio::async_write(connection.stream, buffers, kUseTuple);
  if (ec) {
    beast::error_code ignored;
    connection.stream.socket().close(ignored);
  }
  co_return bytes;
}

asio::awaitable<void> Server::Impl::linger_close(Connection& connection) {
  auto& socket = connection.stream.socket();
  beast::error_code ec;
  socket.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  const auto deadline = Clock::now() + kLingerTime;
  // MSG_TRUNC leaves it untouched; it is real memory of the full size in case a kernel copies.
  const auto scratch = std::make_unique_for_overwrite<char[]>(kDiscardChunk);
  std::size_t drained_bytes = 0;
  while (drained_bytes < kLingerBytes && Clock::now() < deadline) {
    connection.stream.expires_at(deadline);
    // Waits for data (or EOF, or the deadline), then drops everything queued behind it.
    auto [read_ec, n] = co_await connection.stream.async_read_some(
        asio::buffer(scratch.get(), kReadChunk), kUseTuple);
    if (read_ec) break;  // the client closed (EOF), or the time is up
    drained_bytes += n;
    drained_bytes +=
        discard_queued(socket, scratch.get(), kLingerBytes - std::min(drained_bytes, kLingerBytes));
  }
}

void Server::Impl::finish(const Request& request, int status, Clock::time_point start,
                          std::size_t bytes) {
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  metrics.record(request.route, request.method, status, seconds);
  if (options.access_log) log_access(request, status, seconds * 1000.0, bytes);
}

void Server::Impl::close_all() {
  beast::error_code ignored;
  if (acceptor) acceptor->close(ignored);
  for (Connection* connection : connections) connection->stream.socket().close(ignored);
}

Server::Server(asio::io_context& io, Router router, ServerOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(router), std::move(options))) {}

Server::~Server() {
  if (impl_) stop();
}

void Server::use(Middleware middleware) {
  if (impl_->started) throw std::logic_error("Server::use after start()");
  impl_->middleware.push_back(std::move(middleware));
}

void Server::map_exceptions(ExceptionMapper mapper) {
  if (impl_->started) throw std::logic_error("Server::map_exceptions after start()");
  impl_->mappers.push_back(std::move(mapper));
}

void Server::start() {
  if (impl_->started) throw std::logic_error("Server::start called twice");
  impl_->listen();
  impl_->build_chain();
  impl_->started = true;
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
}

std::uint16_t Server::bound_port() const {
  return impl_->port;
}

const Router& Server::router() const {
  return impl_->router;
}

Task<void> Server::shutdown(std::chrono::milliseconds grace) {
  auto impl = impl_;  // the server object may go away while we wait
  const auto deadline = Clock::now() + grace;
  impl->stopping = true;
  beast::error_code ignored;
  if (impl->acceptor) impl->acceptor->close(ignored);
  for (Connection* connection : impl->connections) {
    if (connection->idle) connection->stream.socket().cancel(ignored);
  }
  while (!impl->connections.empty() && Clock::now() < deadline) {
    impl->drained.expires_at(deadline);
    co_await impl->drained.async_wait(kUseTuple);
  }
  impl->close_all();
}

void Server::stop() {
  impl_->stopping = true;
  impl_->close_all();
  impl_->drained.cancel();
}

std::size_t Server::open_connections() const {
  return impl_->connections.size();
}

}  // namespace utxoiq::http
