// REDIS_URL parsing: defaults, credentials (percent-decoded, never in messages), IPv6 hosts,
// database numbers, and the refusals.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "cache/redis_reply.hpp"
#include "cache/redis_url.hpp"

namespace utxoiq::cache {
namespace {

TEST(RedisUrl, HostAloneTakesTheDefaults) {
  const RedisEndpoint e = parse_redis_url("redis://cache.internal");
  EXPECT_EQ(e.host, "cache.internal");
  EXPECT_EQ(e.port, 6379);
  EXPECT_EQ(e.db, 0);
  EXPECT_TRUE(e.username.empty());
  EXPECT_TRUE(e.password.empty());
}

TEST(RedisUrl, PortAndDatabase) {
  const RedisEndpoint e = parse_redis_url("redis://localhost:6380/3");
  EXPECT_EQ(e.host, "localhost");
  EXPECT_EQ(e.port, 6380);
  EXPECT_EQ(e.db, 3);
  EXPECT_EQ(e.describe(), "localhost:6380/3");
  EXPECT_EQ(parse_redis_url("redis://h:1/").db, 0);
}

TEST(RedisUrl, PasswordOnlyInBothSpellings) {
  EXPECT_EQ(parse_redis_url("redis://:s3cret@h").password, "s3cret");
  EXPECT_EQ(parse_redis_url("redis://s3cret@h").password, "s3cret");
  EXPECT_TRUE(parse_redis_url("redis://:s3cret@h").username.empty());
}

TEST(RedisUrl, UserAndPasswordArePercentDecoded) {
  const RedisEndpoint e = parse_redis_url("redis://app%40svc:p%3Ass%2Fw@h:7000/1");
  EXPECT_EQ(e.username, "app@svc");
  EXPECT_EQ(e.password, "p:ss/w");
  EXPECT_EQ(e.port, 7000);
}

TEST(RedisUrl, AnUnencodedAtInThePasswordStillWorks) {
  const RedisEndpoint e = parse_redis_url("redis://:pa@ss@h:7000");
  EXPECT_EQ(e.password, "pa@ss");
  EXPECT_EQ(e.host, "h");
}

TEST(RedisUrl, Ipv6HostInBrackets) {
  const RedisEndpoint e = parse_redis_url("redis://[::1]:6390/2");
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.port, 6390);
  EXPECT_EQ(e.describe(), "[::1]:6390/2");
  EXPECT_EQ(parse_redis_url("redis://[fe80::1]").port, 6379);
}

TEST(RedisUrl, DescriptionNeverShowsCredentials) {
  const RedisEndpoint e = parse_redis_url("redis://admin:hunter2@h:1/0");
  EXPECT_EQ(e.describe().find("hunter2"), std::string::npos);
  EXPECT_EQ(e.describe().find("admin"), std::string::npos);
}

TEST(RedisUrl, QueryOptionsAreIgnored) {
  EXPECT_EQ(parse_redis_url("redis://h:1/4?timeout=5").db, 4);
}

TEST(RedisUrl, RefusesWhatItCannotUse) {
  for (const char* bad :
       {"", "localhost:6379", "http://h", "rediss://h", "redis://", "redis://:1",
        "redis://h:", "redis://h:0", "redis://h:65536", "redis://h:x", "redis://h/db",
        "redis://h/-1", "redis://[::1", "redis://[::1]x", "redis://%zz@h"}) {
    EXPECT_THROW(parse_redis_url(bad), std::invalid_argument) << bad;
  }
}

TEST(RedisUrl, ErrorsNeverQuoteThePassword) {
  try {
    parse_redis_url("redis://:topsecret%G@h");
    FAIL() << "bad percent-encoding must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos);
  }
}

TEST(RedisReply, ErrorCodesAndIntegers) {
  EXPECT_TRUE(RedisReply::error("NOSCRIPT No matching script").is_error_code("NOSCRIPT"));
  EXPECT_FALSE(RedisReply::error("NOSCRIPTX y").is_error_code("NOSCRIPT"));
  EXPECT_FALSE(RedisReply::string("NOSCRIPT").is_error_code("NOSCRIPT"));
  EXPECT_EQ(RedisReply::string("42").as_integer(), 42);
  EXPECT_EQ(RedisReply::integer_value(-7).as_integer(), -7);
  EXPECT_FALSE(RedisReply::string("4x").as_integer().has_value());
  EXPECT_FALSE(RedisReply::nil().as_integer().has_value());
  EXPECT_EQ(RedisReply::array({RedisReply::nil(), RedisReply::status("OK")}).describe(),
            "[(nil), +OK]");
}

}  // namespace
}  // namespace utxoiq::cache
