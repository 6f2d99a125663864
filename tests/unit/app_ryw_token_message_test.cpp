// A read-your-writes token on the feed between instances (app/ryw_token_message.hpp):
// "<lsn> <key>", decoded back to the same key and position; anything else is refused, and so is
// the "unknown" position, which would keep a key on the primary.
#include "app/ryw_token_message.hpp"

#include <gtest/gtest.h>

#include "pg/ryw_tokens.hpp"

namespace utxoiq::app {
namespace {

TEST(RywTokenMessage, PositionFirstThenTheKey) {
  EXPECT_EQ(encode_token_message("0190f1c2-key", pg::Lsn{0x16B374D848}),
            "16/B374D848 0190f1c2-key");
}

TEST(RywTokenMessage, DecodesWhatWasEncoded) {
  const std::string key = "a key with spaces and \xc3\xa9";
  const auto message = decode_token_message(encode_token_message(key, pg::Lsn{0x3000148}));
  ASSERT_TRUE(message);
  EXPECT_EQ(message->key, key);
  EXPECT_EQ(message->lsn, pg::Lsn{0x3000148});
}

TEST(RywTokenMessage, RefusesAnythingElse) {
  for (const char* text : {"", " ", "0/3000148", "0/3000148 ", "nonsense key", "0/xyz key",
                           " 0/3000148 key", "FFFFFFFF/FFFFFFFF key"}) {
    EXPECT_EQ(decode_token_message(text), std::nullopt) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace utxoiq::app
