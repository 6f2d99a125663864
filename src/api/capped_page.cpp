// See capped_page.hpp.
#include "api/capped_page.hpp"

#include <cassert>

#include "util/json_escape.hpp"
#include "util/json_text.hpp"

namespace utxoiq::api {

CappedPage::CappedPage(std::string_view member, std::size_t max_bytes, std::size_t expected_bytes)
    : max_bytes_(max_bytes) {
  assert(max_bytes > 0);
  out_.reserve(64 + expected_bytes);
  out_ += '{';
  append_json_string(out_, member);
  out_ += ":[";
}

std::string& CappedPage::next_item() {
  assert(room());
  if (items_ > 0) out_ += ',';
  ++items_;
  return out_;
}

std::string CappedPage::finish(const std::optional<std::string>& next_cursor) {
  out_ += R"(],"next_cursor":)";
  if (next_cursor) {
    append_json_string(out_, *next_cursor);
  } else {
    out_ += "null";
  }
  out_ += '}';
  return std::move(out_);
}

void append_object(std::string& out, const boost::json::object& object) {
  // The project's writer (doubles as 4.5, not Boost's 4.5E0), as json_response would write it.
  out += to_json_text(object);
}

}  // namespace utxoiq::api
