// The array bound applied while a body is read; see json_body_scan.hpp.
#include "http/json_body_scan.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <cassert>

#include "http/bounded_json_handler.hpp"

namespace utxoiq::http {

struct JsonBodyScan::Parser {
  boost::json::basic_parser<BoundedJsonHandler<false>> json{boost::json::parse_options{}};
};

JsonBodyScan::JsonBodyScan() = default;
JsonBodyScan::~JsonBodyScan() = default;

void JsonBodyScan::seen(std::string_view body) {
  assert(body.size() >= fed_);
  if (stopped_ || body.size() < kJsonScanFrom) return;
  if (!parser_) parser_ = std::make_unique<Parser>();
  const std::string_view fresh = body.substr(fed_);
  fed_ = body.size();
  boost::system::error_code ec;
  const std::size_t used = parser_->json.write_some(true, fresh.data(), fresh.size(), ec);
  if (ec == boost::json::error::array_too_large) {
    const auto& handler = parser_->json.handler();
    throw_array_too_large(handler.root_is_array, handler.top_key);
  }
  // Any other error, or the end of the value: the full parse gives the verdict on the whole body.
  if (ec || parser_->json.done() || used < fresh.size()) stopped_ = true;
}

}  // namespace utxoiq::http
