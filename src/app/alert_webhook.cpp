// The alert sender of alert_webhook.hpp: a queue, one thread, and per attempt a short-lived
// io_context running one Beast POST with a deadline.
#include "app/alert_webhook.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "obs/logging.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::app {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

struct Endpoint {
  std::string host;
  std::string port;
  std::string target;
};

Endpoint parse_endpoint(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http" || parsed->host().empty()) {
    throw std::invalid_argument("--alert-webhook must be an http:// URL with a host, got '" + url +
                                "'");
  }
  Endpoint endpoint{std::string(parsed->host()),
                    parsed->has_port() ? std::string(parsed->port()) : "80",
                    std::string(parsed->encoded_target())};
  if (endpoint.target.empty()) endpoint.target = "/";
  return endpoint;
}

asio::awaitable<int> post_once(Endpoint endpoint, std::string body,
                               std::chrono::milliseconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  beast::tcp_stream stream(executor);
  stream.expires_after(timeout);
  const auto addresses =
      co_await resolver.async_resolve(endpoint.host, endpoint.port, asio::use_awaitable);
  co_await stream.async_connect(addresses, asio::use_awaitable);
  beast::http::request<beast::http::string_body> request{beast::http::verb::post, endpoint.target,
                                                         11};
  request.set(beast::http::field::host, endpoint.host);
  request.set(beast::http::field::content_type, "application/json");
  request.set(beast::http::field::user_agent, "utxoiq-store");
  request.body() = std::move(body);
  request.prepare_payload();
  co_await beast::http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> response;
  co_await beast::http::async_read(stream, buffer, response, asio::use_awaitable);
  co_return static_cast<int>(response.result_int());
}

}  // namespace

struct AlertWebhook::Impl {
  AlertWebhookOptions options;
  Endpoint endpoint;
  std::mutex mutex;
  std::condition_variable wakeup;
  std::deque<Alert> queue;
  bool stopping = false;
  std::thread thread;

  // One delivery with its retries; false when stopping cut it short or every attempt failed.
  bool deliver(const Alert& alert) {
    resilience::Backoff backoff(options.backoff);
    const std::string body = AlertWebhook::body(alert);
    std::string last_error;
    for (int attempt = 1; attempt <= options.max_attempts; ++attempt) {
      try {
        asio::io_context io;
        auto status =
            asio::co_spawn(io, post_once(endpoint, body, options.timeout), asio::use_future);
        io.run();
        const int code = status.get();
        if (code >= 200 && code < 300) return true;
        last_error = "HTTP " + std::to_string(code);
      } catch (const std::exception& e) {
        last_error = e.what();
      }
      std::unique_lock lock(mutex);
      if (wakeup.wait_for(lock, backoff.next_delay(), [this] { return stopping; })) break;
    }
    obs::log_error("alert webhook not delivered",
                   {{"alert", alert.name}, {"url", options.url}, {"error", last_error}});
    return false;
  }

  void serve() {
    for (;;) {
      Alert alert;
      {
        std::unique_lock lock(mutex);
        wakeup.wait(lock, [this] { return stopping || !queue.empty(); });
        if (stopping) return;
        alert = std::move(queue.front());
        queue.pop_front();
      }
      deliver(alert);
    }
  }
};

AlertWebhook::AlertWebhook(AlertWebhookOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->endpoint = parse_endpoint(options.url);
  impl_->options = std::move(options);
  impl_->thread = std::thread([impl = impl_.get()] { impl->serve(); });
}

AlertWebhook::~AlertWebhook() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    if (!impl_->queue.empty()) {
      obs::log_warn("alerts dropped at shutdown", {{"count", impl_->queue.size()}});
    }
  }
  impl_->wakeup.notify_all();
  impl_->thread.join();
}

void AlertWebhook::send(Alert alert) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->queue.push_back(std::move(alert));
  }
  impl_->wakeup.notify_all();
}

std::string AlertWebhook::body(const Alert& alert) {
  boost::json::object labels;
  for (const auto& [name, value] : alert.labels) labels[name] = value;
  return boost::json::serialize(boost::json::object{{"alert", alert.name},
                                                    {"severity", alert.severity},
                                                    {"summary", alert.summary},
                                                    {"labels", std::move(labels)},
                                                    {"fired_at", format_rfc3339(now_utc())}});
}

}  // namespace utxoiq::app
