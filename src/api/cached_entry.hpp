#pragma once
// The one way a cached reader turns its cache entry back into a value: the entry is the JSON text
// of the value (what the reader's loader wrote), read with the domain's from_json. An entry that
// does not decode was not written by this code (or Redis was tampered with): it throws, and the
// request answers 500, rather than serving a made-up value.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace utxoiq::api {

// The entry's JSON object; throws std::runtime_error naming `what` when it is not one.
boost::json::object parse_cached_entry(const std::string& text, std::string_view what);
[[noreturn]] void throw_malformed_entry(std::string_view what);

template <typename T>
T decode_cached(const std::string& text, std::optional<T> (*from_json)(const boost::json::object&),
                std::string_view what) {
  std::optional<T> value = from_json(parse_cached_entry(text, what));
  if (!value) throw_malformed_entry(what);
  return std::move(*value);
}

}  // namespace utxoiq::api
