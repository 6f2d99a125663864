// See cached_entry.hpp.
#include "api/cached_entry.hpp"

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace utxoiq::api {

void throw_malformed_entry(std::string_view what) {
  throw std::runtime_error(std::string(what) + " cache entry is malformed");
}

boost::json::object parse_cached_entry(const std::string& text, std::string_view what) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text, error);
  if (error || !value.is_object()) throw_malformed_entry(what);
  return std::move(value.get_object());
}

}  // namespace utxoiq::api
