#include "support/http_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <strings.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <stdexcept>

namespace utxoiq::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return value;
    }
  }
  return {};
}

bool HttpResponse::has_header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return true;
    }
  }
  return false;
}

boost::json::value HttpResponse::json() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec) throw std::runtime_error("response body is not JSON: " + body);
  return value;
}

std::vector<std::string> HttpResponse::error_fields() const {
  std::vector<std::string> fields;
  const auto value = json();
  const auto* errors = value.as_object().if_contains("errors");
  if (errors == nullptr) return fields;
  for (const auto& error : errors->as_array()) {
    fields.emplace_back(error.as_object().at("field").as_string());
  }
  return fields;
}

struct HttpClient::Impl {
  explicit Impl(std::uint16_t server_port) : port(server_port) {}
  std::uint16_t port;
  asio::io_context io;
  std::optional<tcp::socket> socket;
  beast::flat_buffer buffer;
  HeaderList defaults;

  void connect() {
    socket.emplace(io);
    socket->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    // A server bug must fail the test with a read error, not hang it.
    timeval timeout{30, 0};
    ::setsockopt(socket->native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    buffer.clear();
  }

  HttpResponse exchange(bhttp::request<bhttp::string_body>& message) {
    // A kept connection the server has closed fails at the first write or read: then once more
    // on a new connection (requests of tests are safe to resend only before any answer).
    for (int attempt = 0;; ++attempt) {
      if (!socket || !socket->is_open()) connect();
      beast::error_code ec;
      bhttp::write(*socket, message, ec);
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(256 * 1024 * 1024);
      parser.skip(message.method() == bhttp::verb::head);
      if (!ec) bhttp::read(*socket, buffer, parser, ec);
      if (ec) {
        socket.reset();
        if (attempt == 0 &&
            (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
             ec == asio::error::connection_reset || ec == asio::error::broken_pipe)) {
          continue;
        }
        throw std::runtime_error("HTTP exchange failed: " + ec.message());
      }
      auto raw = parser.release();
      HttpResponse response;
      response.status = static_cast<int>(raw.result_int());
      for (const auto& field : raw) {
        response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      response.body = std::move(raw.body());
      if (!raw.keep_alive()) socket.reset();
      return response;
    }
  }
};

HttpClient::HttpClient(std::uint16_t port) : impl_(std::make_unique<Impl>(port)) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

void HttpClient::set_header(std::string name, std::string value) {
  auto& defaults = impl_->defaults;
  std::erase_if(defaults, [&](const auto& field) {
    return strcasecmp(field.first.c_str(), name.c_str()) == 0;
  });
  if (!value.empty()) defaults.emplace_back(std::move(name), std::move(value));
}

HttpResponse HttpClient::get(std::string_view target, const HeaderList& headers) {
  return request("GET", target, {}, headers);
}

HttpResponse HttpClient::post(std::string_view target, std::string_view body,
                              const HeaderList& headers) {
  HeaderList with_type = headers;
  const bool typed = std::any_of(headers.begin(), headers.end(), [](const auto& field) {
    return strcasecmp(field.first.c_str(), "Content-Type") == 0;
  });
  if (!typed) with_type.emplace_back("Content-Type", "application/json");
  return request("POST", target, body, with_type);
}

HttpResponse HttpClient::post(std::string_view target, const boost::json::value& body,
                              const HeaderList& headers) {
  return post(target, std::string_view(boost::json::serialize(body)), headers);
}

HttpResponse HttpClient::del(std::string_view target, const HeaderList& headers) {
  return request("DELETE", target, {}, headers);
}

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 std::string_view body, const HeaderList& headers) {
  bhttp::request<bhttp::string_body> message;
  message.method_string(beast::string_view(method.data(), method.size()));
  message.target(beast::string_view(target.data(), target.size()));
  message.version(11);
  message.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : impl_->defaults) message.set(name, value);
  for (const auto& [name, value] : headers) message.set(name, value);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    message.body() = std::string(body);
    message.prepare_payload();
  }
  return impl_->exchange(message);
}

}  // namespace utxoiq::testing
