// Fuzz target: a whole HTTP session of the server (http/server.cpp), bytes on a socket to bytes
// back, where fuzz_http_request stops at Beast's parser and the target. One http::Server (the
// production connection loop: deadlines, header routing, middleware before the body, bounded
// bodies, keep-alive and pipelining, 100-continue, the close path) listens on loopback; each input
// is written by a client on a fresh connection, which then half-closes and reads until the server
// closes. Behind it: a header-only middleware that refuses like auth does (before the body), an
// open GET that reads its query, a POST whose JSON body goes through the bounded parser, and a
// route with a small body limit. The oracle, besides ASan/UBSan: whatever the server writes back
// is a sequence of well-formed HTTP/1.1 responses (Beast's response parser accepts all of it), and
// every session ends (a stuck one trips libFuzzer's -timeout).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/json_body.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "obs/logging.hpp"

namespace {

namespace asio = boost::asio;
namespace http = utxoiq::http;
using asio::ip::tcp;

http::Router make_router() {
  http::Router router;
  router.get("/open",
             [](http::Request& request) -> utxoiq::Task<http::Response> {
               co_return http::text_response(200, std::string(request.query("q").value_or("none")));
             },
             {.name = "open", .min_role = std::nullopt});
  router.post("/items/{id}",
              [](http::Request& request) -> utxoiq::Task<http::Response> {
                const auto object = http::parse_json_object(request);
                co_return http::text_response(
                    201, std::string(request.param("id")) + " " + std::to_string(object.size()));
              },
              {.name = "items", .min_role = http::Role::reader});
  router.post("/small",
              [](http::Request& request) -> utxoiq::Task<http::Response> {
                co_return http::text_response(200, std::to_string(request.body.size()));
              },
              {.name = "small", .body_limit = 64, .min_role = http::Role::reader});
  return router;
}

struct Harness {
  asio::io_context io{1};
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;

  Harness() {
    utxoiq::obs::init_logging(utxoiq::obs::LogLevel::off, false);
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = false;
    server = std::make_unique<http::Server>(io, make_router(), options);
    // Refuses on the header alone, as the auth middleware does: a route that needs a key gets 401
    // without "X-Key: k" (before any body byte is read or 100 Continue sent).
    server->use([](http::Request& request, const http::Next& next) -> utxoiq::Task<http::Response> {
      if (request.route && request.route->options.min_role && request.header("X-Key") != "k") {
        throw http::unauthorized();
      }
      co_return co_await next(request);
    });
    server->start();
    port = server->bound_port();
  }
};

// Writes `input`, half-closes, reads until the server closes; returns what it read.
asio::awaitable<void> client(std::uint16_t port, std::string_view input, std::string& reply,
                             bool& done) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect({asio::ip::address_v4::loopback(), port}, asio::use_awaitable);
  boost::system::error_code ec;
  co_await asio::async_write(socket, asio::buffer(input.data(), input.size()),
                             asio::redirect_error(asio::use_awaitable, ec));
  // The server may close early (413, 401, a bad request): then the rest is not written.
  socket.shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 4096> chunk;
  for (;;) {
    const std::size_t n = co_await socket.async_read_some(
        asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    reply.append(chunk.data(), n);
    if (ec) break;
  }
  done = true;
}

// Whether each request of `input`, in order, is a HEAD (its response has no body). Stops at the
// first request Beast cannot parse: the server answers that one 400 and closes.
std::vector<bool> head_requests(std::string_view input) {
  namespace bhttp = boost::beast::http;
  std::vector<bool> heads;
  while (!input.empty()) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(64 * 1024 * 1024);
    parser.eager(true);
    boost::beast::error_code ec;
    const std::size_t used = parser.put(asio::buffer(input.data(), input.size()), ec);
    if (!parser.is_header_done()) break;
    heads.push_back(parser.get().method() == bhttp::verb::head);
    if (ec || !parser.is_done()) break;
    input.remove_prefix(used);
  }
  return heads;
}

// Every byte of `reply` belongs to a well-formed response (interim 100 Continue ones included).
void check_responses(std::string_view input, std::string_view reply) {
  namespace bhttp = boost::beast::http;
  const std::vector<bool> heads = head_requests(input);
  std::size_t answered = 0;  // final responses so far: the one to request i is the i-th
  while (!reply.empty()) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.body_limit(64 * 1024 * 1024);
    if (answered < heads.size() && heads[answered]) parser.skip(true);
    boost::beast::error_code ec;
    const std::size_t used = parser.put(asio::buffer(reply.data(), reply.size()), ec);
    if (ec || !parser.is_done()) {
      std::fprintf(stderr, "malformed response from the server (%s):\n%.*s\n",
                   ec ? ec.message().c_str() : "incomplete", static_cast<int>(reply.size()),
                   reply.data());
      std::abort();
    }
    if (parser.get().result_int() >= 200) ++answered;
    reply.remove_prefix(used);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness harness;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string reply;
  bool done = false;
  asio::co_spawn(harness.io, client(harness.port, input, reply, done), asio::detached);
  while (!done) harness.io.run_one();
  check_responses(input, reply);
  return 0;
}
