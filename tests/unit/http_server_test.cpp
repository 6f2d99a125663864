// The HTTP server over a real loopback socket, in-process, without a database: keep-alive and
// pipelining, 413 for bodies over the route's limit (answered, never a reset), 400 for malformed
// HTTP, 404/405 problem+json, X-Request-Id, middleware order, a handler exception as a 500 that
// shows nothing, HEAD, and graceful shutdown letting an in-flight request finish.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "http/json_body.hpp"
#include "http/request_id.hpp"
#include "http/server.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

struct ParsedResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  bhttp::response<bhttp::string_body> raw;
  std::string header(std::string_view name) const {
    const auto it = raw.find(beast::string_view(name.data(), name.size()));
    return it == raw.end() ? std::string() : std::string(it->value());
  }
  boost::json::object json() const { return boost::json::parse(body).as_object(); }
};

// A blocking client on its own io_context. A receive timeout keeps a server bug from hanging
// the test: it then fails on a read error instead.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval timeout{20, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }

  void send(std::string_view bytes) {
    asio::write(socket_, asio::buffer(bytes.data(), bytes.size()));
  }

  ParsedResponse read_response(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(socket_, buffer_, parser);
    ParsedResponse response;
    response.raw = parser.release();
    response.status = static_cast<int>(response.raw.result_int());
    response.body = response.raw.body();
    response.content_type = response.header("Content-Type");
    return response;
  }

  ParsedResponse request(std::string_view method, std::string_view target,
                         std::string_view body = {}, std::string_view extra_headers = {}) {
    std::string text = std::string(method) + " " + std::string(target) +
                       " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers);
    if (!body.empty() || method == "POST") {
      text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    text += "\r\n";
    text += body;
    send(text);
    return read_response(method == "HEAD");
  }

  // True when the server has closed the connection (EOF, after any buffered bytes).
  bool closed_by_server() {
    beast::error_code ec;
    char byte;
    if (buffer_.size() > 0) return false;
    socket_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

  tcp::socket& socket() { return socket_; }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Router router;
    router.get("/hello",
               [](Request& request) -> Task<Response> {
                 co_return json_response(
                     200, boost::json::object{{"hello", "world"}, {"id", request.request_id}});
               },
               {.name = "hello", .min_role = std::nullopt});
    router.post("/echo/{name}",
                [](Request& request) -> Task<Response> {
                  auto body = parse_json_object(request);
                  body["name"] = request.param("name");
                  co_return json_response(201, body);
                },
                {.name = "echo", .body_limit = 1024});
    router.post("/bulk",
                [](Request& request) -> Task<Response> {
                  parse_json_object(request);
                  co_return empty_response(204);
                },
                {.name = "bulk", .body_limit = 16 * 1024 * 1024});
    router.get("/boom",
               [](Request&) -> Task<Response> {
                 throw std::runtime_error("password=hunter2 in SELECT * FROM secrets");
                 co_return empty_response(204);
               },
               {.name = "boom"});
    router.get("/conflict",
               [](Request&) -> Task<Response> {
                 throw conflict("Already completed.");
                 co_return empty_response(204);
               },
               {.name = "conflict"});
    router.get("/down",
               [](Request&) -> Task<Response> {
                 throw DatabaseDown();
                 co_return empty_response(204);
               },
               {.name = "down"});
    router.get(
        "/slow",
        [this](Request&) -> Task<Response> {
          asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::seconds(30));
          slow_timer = &timer;
          slow_entered.set_value();
          co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));  // released by the test
          slow_timer = nullptr;
          co_return json_response(200, boost::json::object{{"slow", "done"}});
        },
        {.name = "slow"});
    router.get("/no-content", [](Request&) -> Task<Response> { co_return empty_response(204); });
    router.get("/metrics",
               [this](Request&) -> Task<Response> {
                 co_return text_response(200, registry.expose(),
                                         std::string(obs::kPrometheusContentType));
               },
               {.name = "metrics"});

    ServerOptions options{
        .host = "127.0.0.1", .port = 0, .access_log = false, .metrics = &registry};
    adjust(options);
    server = std::make_unique<Server>(io, std::move(router), options);
    // Middleware: marks every response (errors included) and refuses /forbidden-zone paths.
    server->use([this](Request& request, const Next& next) -> Task<Response> {
      order.push_back("first:" + request.request_id);
      if (request.path.starts_with("/forbidden-zone")) throw forbidden();
      Response response = co_await next(request);
      response.headers.set("X-Seen-By", "first");
      co_return response;
    });
    server->use([this](Request& request, const Next& next) -> Task<Response> {
      order.push_back(std::string("second:") + std::string(request.route_name));
      co_return co_await next(request);
    });
    server->map_exceptions([](const std::exception& e) -> std::optional<Problem> {
      if (dynamic_cast<const DatabaseDown*>(&e)) return service_unavailable(5);
      return std::nullopt;
    });
    server->start();
    port = server->bound_port();
    runner = std::thread([this] { io.run(); });
  }

  // Stops everything and lets the loop run dry, so every coroutine ends normally.
  void TearDown() override {
    asio::post(io, [this] {
      if (slow_timer != nullptr) slow_timer->cancel();
      server->stop();
    });
    work.reset();
    runner.join();
    server.reset();
  }

  // For fixtures of servers with other options.
  virtual void adjust(ServerOptions&) {}

  // Runs a graceful shutdown on the io thread; the future is ready when it has finished.
  std::future<void> begin_shutdown(std::chrono::milliseconds grace) {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    asio::co_spawn(io, server->shutdown(grace), [done](std::exception_ptr) { done->set_value(); });
    return future;
  }

  struct DatabaseDown : std::runtime_error {
    DatabaseDown() : std::runtime_error("could not connect to postgresql://admin:pw@db/x") {}
  };

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  obs::Registry registry;
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
  std::thread runner;
  std::vector<std::string> order;  // touched on the io thread only, read after responses
  asio::steady_timer* slow_timer = nullptr;
  std::promise<void> slow_entered;
};

TEST_F(ServerTest, BindsAnEphemeralPort) {
  EXPECT_NE(port, 0);
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Client client(port);
  const auto first = client.request("GET", "/hello");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.content_type, "application/json");
  EXPECT_EQ(first.json().at("hello").as_string(), "world");
  EXPECT_TRUE(first.raw.keep_alive());
  const auto second =
      client.request("POST", "/echo/bob", R"({"x": 1})", "Content-Type: application/json\r\n");
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.json().at("name").as_string(), "bob");
  EXPECT_EQ(second.json().at("x").as_int64(), 1);
  EXPECT_EQ(server->open_connections(), 1u);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Client client(port);
  client.send(
      "GET /hello HTTP/1.1\r\nHost: t\r\nX-Request-Id: one\r\n\r\n"
      "POST /echo/p HTTP/1.1\r\nHost: t\r\nX-Request-Id: two\r\nContent-Length: 2\r\n\r\n{}"
      "GET /nope HTTP/1.1\r\nHost: t\r\nX-Request-Id: three\r\n\r\n");
  const auto a = client.read_response();
  const auto b = client.read_response();
  const auto c = client.read_response();
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.header("X-Request-Id"), "one");
  EXPECT_EQ(b.status, 201);
  EXPECT_EQ(b.header("X-Request-Id"), "two");
  EXPECT_EQ(c.status, 404);
  EXPECT_EQ(c.header("X-Request-Id"), "three");
}

TEST_F(ServerTest, BodyOverTheRouteLimitGets413ProblemThenClose) {
  Client client(port);
  const std::string body(5000, 'x');
  const auto response = client.request("POST", "/echo/big", body);
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(response.json().at("status").as_int64(), 413);
  EXPECT_EQ(response.json().at("title").as_string(), "Content Too Large");
  EXPECT_FALSE(response.raw.keep_alive());
  EXPECT_TRUE(is_valid_request_id(response.header("X-Request-Id")));
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, HugeBodyStillGetsItsAnswerNotAReset) {
  // 8 MiB against a 1 KiB limit: the server answers before reading and drains the rest, so the
  // client can finish writing and then read the 413.
  Client client(port);
  const std::string body(8 * 1024 * 1024, 'x');
  client.send("POST /echo/huge HTTP/1.1\r\nHost: t\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n");
  client.send(body);
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.json().at("status").as_int64(), 413);
}

TEST_F(ServerTest, AnArrayOverTheBoundIsRefusedWhileTheBodyIsRead) {
  // 16 MiB announced, 256 KiB of `[0,0,...` sent and no more: the answer comes from the bytes
  // read so far; a server that waited for the whole body would leave this read to time out.
  Client client(port);
  std::string part = "{\"metrics\":[0";
  while (part.size() < 256 * 1024) part += ",0";
  client.send("POST /bulk HTTP/1.1\r\nHost: t\r\nContent-Length: 16777216\r\n\r\n" + part);
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.json().at("errors").at(0).at("field").as_string(), "metrics");
  EXPECT_FALSE(response.raw.keep_alive());
}

TEST_F(ServerTest, ALargeBodyWithinTheBoundIsReadWhole) {
  Client client(port);
  std::string body = "{\"metrics\":[0";
  for (int i = 1; i < 10'000; ++i) body += ",1234567890";
  body += "],\"pad\":\"" + std::string(200'000, 'p') + "\"}";
  EXPECT_EQ(client.request("POST", "/bulk", body).status, 204);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitGets413) {
  Client client(port);
  std::string chunked = "POST /echo/c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) chunked += "200\r\n" + std::string(0x200, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  client.send(chunked);
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.content_type, "application/problem+json");
}

TEST_F(ServerTest, BodyWithinTheLimitIsAccepted) {
  Client client(port);
  const std::string body = "{\"pad\":\"" + std::string(1000, 'z') + "\"}";  // 1010 bytes
  ASSERT_LE(body.size(), 1024u);
  EXPECT_EQ(client.request("POST", "/echo/ok", body).status, 201);
}

TEST_F(ServerTest, ExpectContinueIsHonoured) {
  Client client(port);
  client.send(
      "POST /echo/e HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  std::string interim(25, '\0');
  asio::read(client.socket(), asio::buffer(interim));
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  client.send("{}");
  EXPECT_EQ(client.read_response().status, 201);
}

TEST_F(ServerTest, MalformedHttpGets400ThenClose) {
  Client client(port);
  client.send("THIS IS NOT HTTP\r\n\r\n");
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(response.json().at("status").as_int64(), 400);
  EXPECT_TRUE(is_valid_request_id(response.header("X-Request-Id")));
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, BadContentLengthGets400) {
  Client client(port);
  client.send("POST /echo/x HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 400);
}

TEST_F(ServerTest, InvalidTargetGets400) {
  Client client(port);
  client.send("GET /hello?x=%zz HTTP/1.1\r\nHost: t\r\n\r\n");
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/problem+json");
}

TEST_F(ServerTest, OversizedHeaderGets431) {
  Client client(port);
  client.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n");
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(response.content_type, "application/problem+json");
}

TEST_F(ServerTest, UnknownRouteIs404ProblemJson) {
  Client client(port);
  const auto response = client.request("GET", "/api/v1/unknown");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = response.json();
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_EQ(body.at("title").as_string(), "Not Found");
  EXPECT_TRUE(body.at("errors").as_array().empty());
  EXPECT_EQ(response.header("X-Seen-By"), "first");  // middleware decorate errors too
  EXPECT_TRUE(response.raw.keep_alive());
}

TEST_F(ServerTest, OtherMethodIs405WithAllow) {
  Client client(port);
  const auto response = client.request("DELETE", "/hello");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("Allow"), "GET, HEAD");
  EXPECT_EQ(response.content_type, "application/problem+json");
}

TEST_F(ServerTest, ClientRequestIdIsEchoed) {
  Client client(port);
  const auto response = client.request("GET", "/hello", {}, "X-Request-Id: abc-DEF-123\r\n");
  EXPECT_EQ(response.header("X-Request-Id"), "abc-DEF-123");
  EXPECT_EQ(response.json().at("id").as_string(), "abc-DEF-123");  // handlers see it
}

TEST_F(ServerTest, InvalidRequestIdIsReplaced) {
  Client client(port);
  const std::string too_long(129, 'a');
  for (const std::string& bad : {too_long, std::string("has_underscore"), std::string("a.b")}) {
    const auto response = client.request("GET", "/hello", {}, "X-Request-Id: " + bad + "\r\n");
    const auto id = response.header("X-Request-Id");
    EXPECT_NE(id, bad);
    EXPECT_TRUE(is_valid_request_id(id)) << id;
  }
  const auto none = client.request("GET", "/hello");
  EXPECT_TRUE(is_valid_request_id(none.header("X-Request-Id")));
}

TEST_F(ServerTest, HandlerExceptionIs500WithoutItsText) {
  Client client(port);
  const auto response = client.request("GET", "/boom");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);
  EXPECT_EQ(response.json().at("status").as_int64(), 500);
  EXPECT_EQ(response.header("X-Seen-By"), "first");
  // The connection survives a handler's failure.
  EXPECT_EQ(client.request("GET", "/hello").status, 200);
}

TEST_F(ServerTest, ThrownProblemAndMappedException) {
  Client client(port);
  const auto conflict_response = client.request("GET", "/conflict");
  EXPECT_EQ(conflict_response.status, 409);
  EXPECT_EQ(conflict_response.json().at("detail").as_string(), "Already completed.");
  const auto down = client.request("GET", "/down");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.header("Retry-After"), "5");
  EXPECT_EQ(down.body.find("postgresql://"), std::string::npos);
}

TEST_F(ServerTest, MiddlewareRunsInOrderAndMayAnswer) {
  Client client(port);
  const auto refused = client.request("GET", "/forbidden-zone/x", {}, "X-Request-Id: m1\r\n");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.content_type, "application/problem+json");
  const auto ok = client.request("GET", "/hello", {}, "X-Request-Id: m2\r\n");
  EXPECT_EQ(ok.status, 200);
  // Read after the responses: the io thread wrote these before answering.
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0], "first:m1");  // the first middleware answered; the second never ran
  EXPECT_EQ(order[1], "first:m2");
  EXPECT_EQ(order[2], "second:hello");
}

TEST_F(ServerTest, HeadGetsHeadersWithoutBody) {
  Client client(port);
  const auto get = client.request("GET", "/hello", {}, "X-Request-Id: same\r\n");
  const auto head = client.request("HEAD", "/hello", {}, "X-Request-Id: same\r\n");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size()));
  // The connection is still in step: the next response parses.
  EXPECT_EQ(client.request("GET", "/hello").status, 200);
}

TEST_F(ServerTest, NoContentHasNoBody) {
  Client client(port);
  const auto response = client.request("GET", "/no-content");
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(client.request("GET", "/hello").status, 200);
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAlive) {
  Client client(port);
  client.send("GET /hello HTTP/1.0\r\n\r\n");
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, RecordsRequestMetrics) {
  Client client(port);
  client.request("GET", "/hello");
  client.request("GET", "/hello");
  client.request("GET", "/nope");
  const auto text = client.request("GET", "/metrics").body;
  // prometheus-cpp writes labels by name.
  EXPECT_NE(text.find("http_requests_total{method=\"GET\",route=\"hello\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("http_request_duration_seconds_count{route=\"hello\",status_class=\"2xx\"} 2\n"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "http_request_duration_seconds_count{route=\"unmatched\",status_class=\"4xx\"} 1\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("http_open_connections 1\n"), std::string::npos) << text;
}

TEST_F(ServerTest, SecondServerOnTheSamePortThrowsListenError) {
  asio::io_context other_io;
  Server other(other_io, Router{}, ServerOptions{.host = "127.0.0.1", .port = port});
  try {
    other.start();
    FAIL() << "listening twice on one port succeeded";
  } catch (const ListenError& error) {
    EXPECT_EQ(error.port(), port);
    EXPECT_TRUE(error.error() == std::errc::address_in_use) << error.error().message();
    EXPECT_NE(std::string(error.what()).find(std::to_string(port)), std::string::npos);
  }
}

TEST_F(ServerTest, GracefulShutdownLetsTheInFlightRequestFinish) {
  Client idle(port);
  EXPECT_EQ(idle.request("GET", "/hello").status, 200);  // now an idle keep-alive connection

  Client busy(port);
  busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  slow_entered.get_future().wait();  // the handler is running

  auto stopped = begin_shutdown(std::chrono::seconds(20));
  // Posted after the shutdown began (same strand of one thread, in order): release the handler.
  asio::post(io, [this] {
    if (slow_timer != nullptr) slow_timer->cancel();
  });

  const auto response = busy.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.json().at("slow").as_string(), "done");
  EXPECT_FALSE(response.raw.keep_alive());  // Connection: close during shutdown
  stopped.wait();
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(busy.closed_by_server());
  EXPECT_EQ(server->open_connections(), 0u);
  // No longer accepting.
  asio::io_context probe_io;
  tcp::socket probe(probe_io);
  beast::error_code ec;
  probe.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  EXPECT_TRUE(ec);
}

TEST_F(ServerTest, ShutdownClosesWhatOutlivesTheGrace) {
  Client busy(port);
  busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  slow_entered.get_future().wait();
  auto stopped = begin_shutdown(std::chrono::milliseconds(0));
  stopped.wait();  // returns although the handler is still waiting
  EXPECT_TRUE(busy.closed_by_server());
  asio::post(io, [this] {
    if (slow_timer != nullptr) slow_timer->cancel();
  });
}

TEST_F(ServerTest, RefusalByMiddlewareComesBeforeAnyBodyByteOr100Continue) {
  // 1 MiB announced, none sent: the middleware refuses on the header; a server that waited for
  // the body (or sent 100 Continue first) would show it here.
  Client client(port);
  client.send(
      "POST /forbidden-zone/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n"
      "Expect: 100-continue\r\n\r\n");
  const auto response = client.read_response();
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.header("Connection"), "close");
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, TheBodyIsReadAfterTheMiddlewareHasPassedIt) {
  Client client(port);
  EXPECT_EQ(client.request("POST", "/echo/late", "{\"a\":1}").status, 201);
  EXPECT_EQ(order.size(), 2u);  // both middlewares ran, then the handler saw the body
  EXPECT_EQ(client.request("GET", "/hello").status, 200);  // and the connection goes on
}

// A server with room for two connections and a short first-byte deadline.
class CappedServerTest : public ServerTest {
 protected:
  void adjust(ServerOptions& options) override {
    options.max_connections = 2;
    options.first_byte_timeout = std::chrono::milliseconds(300);
  }
};

TEST_F(CappedServerTest, OverTheCapANewConnectionIsClosedAtOnceAndCounted) {
  Client first(port);
  Client second(port);
  EXPECT_EQ(first.request("GET", "/hello").status, 200);
  EXPECT_EQ(second.request("GET", "/hello").status, 200);
  Client third(port);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(third.closed_by_server());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(250));
  EXPECT_EQ(first.request("GET", "/hello").status, 200);  // the open ones are untouched
  const std::string exposed = first.request("GET", "/metrics").body;
  EXPECT_NE(exposed.find("http_connections_refused_total 1"), std::string::npos) << exposed;
}

TEST_F(CappedServerTest, AConnectionThatSendsNothingIsClosedAfterTheFirstByteDeadline) {
  Client silent(port);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.closed_by_server());
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, std::chrono::milliseconds(200));
  EXPECT_LT(waited, std::chrono::seconds(5));
  Client next(port);  // its slot is free again
  EXPECT_EQ(next.request("GET", "/hello").status, 200);
}

}  // namespace
}  // namespace utxoiq::http
