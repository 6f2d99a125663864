// API keys as `keys create` makes them: "uiq_" + 43 base64url characters (256 random bits),
// different every time; stored as the SHA-256 hex of the key text.
#include <gtest/gtest.h>

#include <set>

#include "domain/api_key.hpp"
#include "util/base64url.hpp"
#include "util/constant_time.hpp"
#include "util/sha256.hpp"

namespace utxoiq::domain {
namespace {

TEST(ApiKey, HasThePrefixAnd256RandomBits) {
  const std::string key = generate_api_key();
  ASSERT_EQ(key.rfind("uiq_", 0), 0u);
  EXPECT_EQ(key.size(), 4u + 43u);
  const auto raw = base64url_decode(std::string_view(key).substr(4));
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 32u);
}

TEST(ApiKey, EveryKeyIsNew) {
  std::set<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.insert(generate_api_key());
  EXPECT_EQ(keys.size(), 1000u);
}

TEST(ApiKey, TheStoredFormIsTheSha256HexOfTheText) {
  EXPECT_EQ(api_key_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(api_key_hash("abc"), sha256_hex("abc"));
  EXPECT_EQ(api_key_hash(generate_api_key()).size(), 64u);
}

TEST(ApiKey, RolesAreTheThreeOfTheTable) {
  EXPECT_EQ(parse_api_key_role("reader"), "reader");
  EXPECT_EQ(parse_api_key_role("writer"), "writer");
  EXPECT_EQ(parse_api_key_role("admin"), "admin");
  EXPECT_FALSE(parse_api_key_role("Admin"));
  EXPECT_FALSE(parse_api_key_role(""));
}

TEST(ConstantTimeEqual, ComparesWholeStrings) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace utxoiq::domain
