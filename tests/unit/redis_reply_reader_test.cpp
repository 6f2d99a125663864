// The Redis reply adapter: replies decoded from bytes in any split, errors as values, and an
// array header announcing more than kMaxReplyElements elements refused as a protocol error before
// anything is allocated for it (the input fuzz_redis_reply found: hiredis asked for 15 GB).
#include <gtest/gtest.h>

#include <string>

#include "cache/redis_reply_reader.hpp"

namespace utxoiq::cache {
namespace {

TEST(RedisReplyReader, DecodesRepliesFedByteByByte) {
  const std::string bytes = "+OK\r\n-NOSCRIPT x\r\n:42\r\n$-1\r\n*2\r\n$3\r\na\r\n\r\n*-1\r\n";
  RedisReplyReader reader;
  std::vector<std::string> seen;
  for (const char byte : bytes) {
    reader.feed(std::string_view(&byte, 1));
    while (const auto reply = reader.next()) seen.push_back(reply->describe());
  }
  const std::vector<std::string> expected = {"+OK", "-NOSCRIPT x", ":42", "(nil)",
                                             "[\"a\r\n\", (nil)]"};
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen, expected);
}

TEST(RedisReplyReader, NothingUntilTheReplyIsWhole) {
  RedisReplyReader reader;
  reader.feed("$5\r\nhel");
  EXPECT_FALSE(reader.next());
  reader.feed("lo\r\n");
  EXPECT_EQ(reader.next()->as_text(), "hello");
}

TEST(RedisReplyReader, AnArrayCountOverTheBoundIsAProtocolError) {
  RedisReplyReader reader;
  reader.feed("*1884314645\r\n:1\r\n");
  EXPECT_THROW(reader.next(), RedisProtocolError);
  RedisReplyReader nested;
  nested.feed("*1\r\n*" + std::to_string(kMaxReplyElements + 1) + "\r\n");
  EXPECT_THROW(nested.next(), RedisProtocolError);
}

TEST(RedisReplyReader, AnArrayCountAtTheBoundWaitsForItsElements) {
  RedisReplyReader reader;
  reader.feed("*" + std::to_string(kMaxReplyElements) + "\r\n:1\r\n");
  EXPECT_FALSE(reader.next());
}

TEST(RedisReplyReader, BytesThatAreNotRespAreAProtocolError) {
  RedisReplyReader reader;
  reader.feed("hello\r\n");
  EXPECT_THROW(reader.next(), RedisProtocolError);
}

}  // namespace
}  // namespace utxoiq::cache
