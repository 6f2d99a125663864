// Fuzz target: the Redis reply adapter (bytes from the server → RedisReply). The input is fed in
// parts (split where its first byte says), as reads from a socket would be; every reply decoded
// is encoded back to RESP, and decoding that in one part gives the same reply.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "cache/redis_reply_reader.hpp"

namespace {

using utxoiq::cache::RedisReply;

std::string encode(const RedisReply& reply) {
  switch (reply.type) {
    case RedisReply::Type::nil:
      return "$-1\r\n";
    case RedisReply::Type::status:
      return "+" + reply.text + "\r\n";
    case RedisReply::Type::error:
      return "-" + reply.text + "\r\n";
    case RedisReply::Type::integer:
      return ":" + std::to_string(reply.integer) + "\r\n";
    case RedisReply::Type::string:
      return "$" + std::to_string(reply.text.size()) + "\r\n" + reply.text + "\r\n";
    case RedisReply::Type::array: {
      std::string out = "*" + std::to_string(reply.elements.size()) + "\r\n";
      for (const RedisReply& element : reply.elements) out += encode(element);
      return out;
    }
  }
  return {};
}

void check_round_trip(const RedisReply& reply) {
  utxoiq::cache::RedisReplyReader again;
  again.feed(encode(reply));
  const std::optional<RedisReply> decoded = again.next();
  if (!decoded || decoded->describe() != reply.describe()) std::abort();
  (void)reply.as_integer();
  (void)reply.as_text();
  (void)reply.is_error_code("ERR");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t part = 1 + data[0] % 64;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  utxoiq::cache::RedisReplyReader reader;
  try {
    for (std::size_t at = 0; at < bytes.size(); at += part) {
      reader.feed(bytes.substr(at, part));
      while (const std::optional<RedisReply> reply = reader.next()) check_round_trip(*reply);
    }
  } catch (const utxoiq::cache::RedisProtocolError&) {
    // Not RESP: the connection would be closed.
  }
  return 0;
}
