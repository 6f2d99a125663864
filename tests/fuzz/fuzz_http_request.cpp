// Fuzz target: the HTTP request path from bytes to what the handlers see — Beast's request parser
// with the server's header limit, then the target (path, query) as the server sets it. Bad input
// may only become a parse error or a Problem (the server's 400/431), never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/problem.hpp"
#include "http/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace bhttp = boost::beast::http;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  utxoiq::http::Request request;
  for (const auto& field : parser.get()) {
    request.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  try {
    const auto target = parser.get().target();
    utxoiq::http::set_target(request, std::string_view(target.data(), target.size()));
  } catch (const utxoiq::http::Problem&) {
  }
  return 0;
}
