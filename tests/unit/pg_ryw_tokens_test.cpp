// The read-your-writes tokens one instance knows (pg/ryw_tokens.hpp): the maximum per key of its
// own and learned positions, and "unknown" (the primary) after a write whose position could not be
// read, until this instance records the key's next write.
#include "pg/ryw_tokens.hpp"

#include <gtest/gtest.h>

namespace utxoiq::pg {
namespace {

TEST(RywTokens, AKeyThatNeverWroteHasNoToken) {
  RywTokens tokens;
  tokens.record("a", Lsn{10});
  EXPECT_EQ(tokens.token("b"), std::nullopt);
  EXPECT_EQ(tokens.size(), 1u);
}

TEST(RywTokens, OwnAndLearnedTokensMergeAsTheMaximum) {
  RywTokens tokens;
  tokens.learn("a", Lsn{50});
  tokens.record("a", Lsn{40});  // a write of this instance that finished reading earlier
  EXPECT_EQ(tokens.token("a"), Lsn{50});
  tokens.record("a", Lsn{60});
  EXPECT_EQ(tokens.token("a"), Lsn{60});
  tokens.learn("a", Lsn{55});  // a message that arrived late
  EXPECT_EQ(tokens.token("a"), Lsn{60});
}

TEST(RywTokens, AnUnreadPositionSendsTheKeyToThePrimaryUntilItsNextRecordedWrite) {
  RywTokens tokens;
  tokens.record("a", Lsn{10});
  tokens.record_unknown("a");
  EXPECT_EQ(tokens.token("a"), kUnknownToken);
  tokens.learn("a", Lsn{1000});  // may be older than the write whose position is unknown
  EXPECT_EQ(tokens.token("a"), kUnknownToken);
  tokens.record("a", Lsn{20});  // read after the next write's commit: past everything before
  EXPECT_EQ(tokens.token("a"), Lsn{20});
}

TEST(RywTokens, KeysAreIndependent) {
  RywTokens tokens;
  tokens.record("a", Lsn{10});
  tokens.learn("b", Lsn{99});
  tokens.record_unknown("c");
  EXPECT_EQ(tokens.token("a"), Lsn{10});
  EXPECT_EQ(tokens.token("b"), Lsn{99});
  EXPECT_EQ(tokens.token("c"), kUnknownToken);
}

}  // namespace
}  // namespace utxoiq::pg
