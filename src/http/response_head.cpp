// The response head; the rules are in response_head.hpp.
#include "http/response_head.hpp"

#include <ostream>  // before Beast: boost::core::string_view needs it complete

#include <boost/beast/http/status.hpp>
#include <cassert>
#include <charconv>

namespace utxoiq::http {

namespace {

// Appends `text` with every CR and LF written as a space (see the header: response splitting).
void append_field_text(std::string& out, std::string_view text) {
  for (const char c : text) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  append_field_text(out, name);
  out.append(": ");
  append_field_text(out, value);
  out.append("\r\n");
}

void append_number(std::string& out, std::size_t value) {
  char digits[24];
  const auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  assert(error == std::errc{});
  out.append(digits, end);
}

}  // namespace

bool bodiless_status(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

void write_response_head(const ResponseHeadInput& input, std::string& out) {
  assert(input.version == 10 || input.version == 11);
  const Response& response = input.response;
  assert(response.status >= 100 && response.status <= 999);
  out.clear();
  out.append(input.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  append_number(out, static_cast<std::size_t>(response.status));
  out.push_back(' ');
  const auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(response.status));
  out.append(reason.data(), reason.size());
  out.append("\r\n");
  if (!response.content_type.empty()) append_field(out, "Content-Type", response.content_type);
  for (const auto& [name, value] : response.headers.fields()) append_field(out, name, value);
  append_field(out, "X-Request-Id", input.request_id);
  if (input.version == 11 && !input.keep_alive) out.append("Connection: close\r\n");
  if (input.version == 10 && input.keep_alive) out.append("Connection: keep-alive\r\n");
  if (!bodiless_status(response.status)) {
    out.append("Content-Length: ");
    append_number(out, input.content_length);
    out.append("\r\n");
  }
  out.append("\r\n");
}

}  // namespace utxoiq::http
