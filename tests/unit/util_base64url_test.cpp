// base64url without padding: RFC 4648 test vectors, the URL-safe alphabet, strict decoding.
#include "util/base64url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace utxoiq {
namespace {

TEST(Base64Url, EncodesTheRfc4648VectorsWithoutPadding) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64url_encode(plain), encoded) << plain;
    EXPECT_EQ(base64url_decode(encoded), std::string(plain)) << encoded;
  }
}

TEST(Base64Url, UsesTheUrlSafeAlphabet) {
  // 0xfb 0xff encodes to "+/8" in standard base64.
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
}

TEST(Base64Url, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const std::string bytes = all.substr(0, n);
    const std::string encoded = base64url_encode(bytes);
    EXPECT_EQ(encoded.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(base64url_decode(encoded), bytes) << n;
  }
}

TEST(Base64Url, DecodingIsStrict) {
  const char* cases[] = {
      "Zg==",      // padding
      "Zm9v+w",    // standard alphabet
      "Zm9v/w",    // standard alphabet
      "Z",         // length 1 mod 4
      "Zm9vY",     // length 1 mod 4
      "Zh",        // non-zero unused bits ("Zg" is the one encoding of "f")
      "Zm9",       // fine length, but 'Z','m','9' leaves bits: "Zm8" is canonical
      "Zm 9v",     // whitespace
      "Zm9v\n",    // newline
      "Zm9v\x80",  // non-ASCII
  };
  for (const char* text : cases) EXPECT_FALSE(base64url_decode(text).has_value()) << text;
}

}  // namespace
}  // namespace utxoiq
