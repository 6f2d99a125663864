#pragma once
// The basic_parser handler of request bodies, shared by the full parse (json_body.cpp, which
// builds the value) and the scan while reading (json_body_scan.cpp, which builds nothing), so
// both apply the same array bound and name the same field when it is passed.
#include <boost/json/basic_parser.hpp>
#include <boost/json/value_stack.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/json_body.hpp"

namespace utxoiq::http {

// The Problem for an array over kMaxJsonArrayItems: 400 when the body itself is the array, else
// 422 naming the top-level field that holds it ("body" when its key is unknown).
[[noreturn]] void throw_array_too_large(bool root_is_array, const std::string& top_key);

// Boost.JSON's DOM handler (a value_stack fed by basic_parser) when kBuild, a handler that only
// follows the nesting otherwise; basic_parser applies max_array_size while it parses, so the
// 10,001st element of any array stops the parse there.
template <bool kBuild>
class BoundedJsonHandler {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = kMaxJsonArrayItems;
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  using ec_t = boost::system::error_code;
  using sv = boost::json::string_view;

  explicit BoundedJsonHandler(boost::json::storage_ptr storage = {}) {
    if constexpr (kBuild) stack.reset(std::move(storage));
  }

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) { return ++depth, true; }
  bool on_object_end(std::size_t n, ec_t&) {
    --depth;
    if constexpr (kBuild) stack.push_object(n);
    return true;
  }
  bool on_array_begin(ec_t&) {
    if (depth == 0) root_is_array = true;
    return ++depth, true;
  }
  bool on_array_end(std::size_t n, ec_t&) {
    --depth;
    if constexpr (kBuild) stack.push_array(n);
    return true;
  }
  bool on_key_part(sv s, std::size_t, ec_t&) {
    if (depth == 1) key_parts.append(s.data(), s.size());
    if constexpr (kBuild) stack.push_chars(s);
    return true;
  }
  bool on_key(sv s, std::size_t, ec_t&) {
    // A key may arrive in parts (escapes, or split between two reads of the scan).
    if (depth == 1) top_key = std::move(key_parts.append(s.data(), s.size()));
    key_parts.clear();
    if constexpr (kBuild) stack.push_key(s);
    return true;
  }
  bool on_string_part(sv s, std::size_t, ec_t&) {
    if constexpr (kBuild) stack.push_chars(s);
    return true;
  }
  bool on_string(sv s, std::size_t, ec_t&) {
    if constexpr (kBuild) stack.push_string(s);
    return true;
  }
  bool on_number_part(sv, ec_t&) { return true; }
  bool on_int64(std::int64_t i, sv, ec_t&) {
    if constexpr (kBuild) stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, sv, ec_t&) {
    if constexpr (kBuild) stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, sv, ec_t&) {
    if constexpr (kBuild) stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, ec_t&) {
    if constexpr (kBuild) stack.push_bool(b);
    return true;
  }
  bool on_null(ec_t&) {
    if constexpr (kBuild) stack.push_null();
    return true;
  }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }

  boost::json::value_stack stack;  // unused when !kBuild
  int depth = 0;
  std::string key_parts;  // the parts of a top-level key not yet whole
  std::string top_key;    // the last key of the top-level object: where an over-long array is
  bool root_is_array = false;
};

}  // namespace utxoiq::http
