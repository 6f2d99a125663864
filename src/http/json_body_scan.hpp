#pragma once
// A large request body is checked while it is read: the array bound of parse_json_object
// (kMaxJsonArrayItems) is applied to the bytes as they arrive, so a body holding a huge array is
// refused at element 10,001 instead of after all its bytes were read into one buffer (issue 10:
// 16 MiB bodies held the event loop). Only the bound is checked here, with no JSON value built;
// every other verdict (invalid JSON, not an object) is the full parse's, after the body is read.
#include <cstddef>
#include <memory>
#include <string_view>

namespace utxoiq::http {

// Bodies up to this size are never scanned (their parse is cheap): the scan starts once a body
// has this many bytes, from its first byte.
inline constexpr std::size_t kJsonScanFrom = 64 * 1024;

class JsonBodyScan {
 public:
  JsonBodyScan();
  ~JsonBodyScan();
  JsonBodyScan(const JsonBodyScan&) = delete;
  JsonBodyScan& operator=(const JsonBodyScan&) = delete;

  // `body` is the body read so far (each call a prefix of the next). Throws the Problem that
  // parse_json_object would throw for an over-long array (422 naming the top-level field; 400
  // when the body is an array) as soon as the bytes read show one.
  void seen(std::string_view body);

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
  std::size_t fed_ = 0;   // bytes of the body given to the parser
  bool stopped_ = false;  // the scan found the end of the value or an error: nothing to check
};

}  // namespace utxoiq::http
