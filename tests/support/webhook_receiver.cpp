// The webhook receiver of webhook_receiver.hpp: Beast on an io_context of its own thread.
#include "support/webhook_receiver.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <mutex>
#include <thread>

namespace utxoiq::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

struct WebhookReceiver::Impl {
  int fail_first = 0;
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  mutable std::mutex mutex;
  std::vector<std::string> bodies;
  int requests = 0;
  std::thread thread;

  asio::awaitable<void> serve(tcp::socket socket) {
    try {
      beast::flat_buffer buffer;
      beast::http::request<beast::http::string_body> request;
      co_await beast::http::async_read(socket, buffer, request, asio::use_awaitable);
      int status = 200;
      {
        std::lock_guard lock(mutex);
        if (++requests <= fail_first) {
          status = 503;
        } else {
          bodies.push_back(request.body());
        }
      }
      beast::http::response<beast::http::string_body> response{
          static_cast<beast::http::status>(status), 11};
      response.body() = "{}";
      response.prepare_payload();
      co_await beast::http::async_write(socket, response, asio::use_awaitable);
    } catch (const std::exception&) {
      // A client that went away: nothing to record.
    }
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }
};

WebhookReceiver::WebhookReceiver(int fail_first) : impl_(std::make_unique<Impl>()) {
  impl_->fail_first = fail_first;
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

WebhookReceiver::~WebhookReceiver() {
  impl_->io.stop();
  impl_->thread.join();
}

std::string WebhookReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()) + "/hook";
}

std::vector<std::string> WebhookReceiver::bodies() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->bodies;
}

int WebhookReceiver::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

bool WebhookReceiver::wait_for(const std::string& text, std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    for (const auto& body : bodies()) {
      if (body.find(text) != std::string::npos) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace utxoiq::testing
