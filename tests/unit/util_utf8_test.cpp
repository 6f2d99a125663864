// UTF-8 validation and code point counting (RFC 3629).
#include "util/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace utxoiq {
namespace {

TEST(Utf8Length, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("caf\xC3\xA9"), 4u);           // é: 2 bytes
  EXPECT_EQ(utf8_length("\xE2\x82\xAC"), 1u);          // €: 3 bytes
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80"), 1u);      // 😀: 4 bytes
  EXPECT_EQ(utf8_length("\xF4\x8F\xBF\xBF"), 1u);      // U+10FFFF, the last code point
  EXPECT_EQ(utf8_length("\xEF\xBF\xBF"), 1u);          // U+FFFF
  EXPECT_EQ(utf8_length("\xED\x9F\xBF"), 1u);          // U+D7FF, just below surrogates
  EXPECT_EQ(utf8_length(std::string("a\0b", 3)), 3u);  // NUL is valid UTF-8
}

TEST(Utf8Length, MixesTheAsciiFastPathWithMultiByteCharacters) {
  std::string text;
  std::size_t expected = 0;
  for (int i = 0; i < 50; ++i) {
    text += "0123456789abcdef";   // 16 ASCII
    text += "\xC3\xA9";           // 1
    text += "x\xF0\x9F\x98\x80";  // 2
    expected += 19;
  }
  EXPECT_EQ(utf8_length(text), expected);
  // A bad byte deep inside a long ASCII run is still found.
  std::string bad(1000, 'a');
  bad[997] = '\xFF';
  EXPECT_FALSE(utf8_length(bad).has_value());
}

TEST(Utf8Length, RejectsIllFormedSequences) {
  const char* cases[] = {
      "\x80",              // lone continuation byte
      "a\xBF",             // continuation after ASCII
      "\xC0\xAF",          // overlong '/'
      "\xC1\xBF",          // overlong
      "\xE0\x80\xAF",      // overlong 3-byte
      "\xF0\x80\x80\xAF",  // overlong 4-byte
      "\xED\xA0\x80",      // surrogate U+D800
      "\xED\xBF\xBF",      // surrogate U+DFFF
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // lead byte above F4
      "\xFF",              // never valid
      "\xC3",              // truncated 2-byte
      "\xE2\x82",          // truncated 3-byte
      "\xF0\x9F\x98",      // truncated 4-byte
      "\xE2\x28\xA1",      // bad continuation
  };
  for (const char* text : cases) {
    EXPECT_FALSE(utf8_length(text).has_value()) << testing::PrintToString(std::string(text));
    EXPECT_FALSE(is_valid_utf8(text));
  }
}

}  // namespace
}  // namespace utxoiq
