// REDIS_URL parsing; see redis_url.hpp for the accepted form.
#include "cache/redis_url.hpp"

#include <charconv>
#include <stdexcept>

namespace utxoiq::cache {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text, const char* what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      throw std::invalid_argument(std::string("REDIS_URL: bad percent-encoding in the ") + what);
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

template <typename T>
bool parse_number(std::string_view text, T& value) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size() && !text.empty();
}

}  // namespace

std::string RedisEndpoint::describe() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" + std::to_string(db);
}

RedisEndpoint parse_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (!url.starts_with(scheme)) {
    throw std::invalid_argument("REDIS_URL must start with redis:// (TLS and sockets unsupported)");
  }
  std::string_view rest = url.substr(scheme.size());
  RedisEndpoint endpoint;

  // Userinfo ends at the LAST '@' before the path: a password may contain '@' unencoded.
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const std::size_t colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      // redis://secret@host is how many tools spell a password-only URL.
      endpoint.password = percent_decode(userinfo, "password");
    } else {
      endpoint.username = percent_decode(userinfo.substr(0, colon), "user name");
      endpoint.password = percent_decode(userinfo.substr(colon + 1), "password");
    }
  }

  std::string_view port_text;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("REDIS_URL: unclosed '['");
    endpoint.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw std::invalid_argument("REDIS_URL: junk after ']'");
      port_text = after.substr(1);
      if (port_text.empty()) throw std::invalid_argument("REDIS_URL: empty port");
    }
  } else {
    const std::size_t colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) throw std::invalid_argument("REDIS_URL: empty port");
    }
  }
  if (endpoint.host.empty()) throw std::invalid_argument("REDIS_URL: missing host");
  if (!port_text.empty()) {
    unsigned port = 0;
    if (!parse_number(port_text, port) || port == 0 || port > 65535) {
      throw std::invalid_argument("REDIS_URL: port must be 1-65535");
    }
    endpoint.port = static_cast<std::uint16_t>(port);
  }

  if (const std::size_t query = path.find('?'); query != std::string_view::npos) {
    path = path.substr(0, query);  // options such as ?timeout= are not ours: ignored
  }
  if (path.size() > 1) {
    int db = 0;
    if (!parse_number(path.substr(1), db) || db < 0) {
      throw std::invalid_argument("REDIS_URL: the path must be a database number");
    }
    endpoint.db = db;
  }
  return endpoint;
}

}  // namespace utxoiq::cache
