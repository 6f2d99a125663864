#pragma once
// The adapter from bytes a Redis server sent (RESP2) to RedisReply values: hiredis's redisReader
// decodes, this turns its replies into RedisReply, so no hiredis type leaves it. Every byte here
// comes from the network, so it is a fuzz target (tests/fuzz/fuzz_redis_reply.cpp).
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "cache/redis_reply.hpp"

struct redisReader;

namespace utxoiq::cache {

// The bytes are not RESP: the connection cannot go on.
class RedisProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// hiredis 0.14 allocates an array reply's element table from the count in its header, before any
// element arrives: "*1884314645" alone asked for 15 GB (found by fuzz_redis_reply). No reply the
// service reads has more elements than this; a larger count is a protocol error.
inline constexpr int kMaxReplyElements = 1 << 20;

class RedisReplyReader {
 public:
  RedisReplyReader();  // throws std::bad_alloc
  ~RedisReplyReader();
  RedisReplyReader(const RedisReplyReader&) = delete;
  RedisReplyReader& operator=(const RedisReplyReader&) = delete;

  // Bytes as they came off the socket (any split). Throws RedisProtocolError.
  void feed(std::string_view bytes);
  // The next whole reply, or nullopt while its rest is still on the way. Throws
  // RedisProtocolError when the bytes fed are not RESP (then the reader is unusable).
  std::optional<RedisReply> next();

 private:
  redisReader* reader_;
};

}  // namespace utxoiq::cache
