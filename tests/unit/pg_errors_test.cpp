// Error kinds and what QueryError puts into its (logged) message.
#include <gtest/gtest.h>

#include "pg/errors.hpp"

namespace utxoiq::pg {
namespace {

TEST(PgErrors, QueryErrorMessageHasStateAndIndexButNotDetail) {
  const QueryError error({.sqlstate = "23505",
                          .message = "duplicate key value violates unique constraint \"u\"",
                          .detail = "Key (email)=(someone@example.com) already exists.",
                          .constraint = "u",
                          .statement_index = 2});
  const std::string text = error.what();
  EXPECT_NE(text.find("23505"), std::string::npos);
  EXPECT_NE(text.find("statement 2"), std::string::npos);
  EXPECT_EQ(text.find("someone@example.com"), std::string::npos);
  EXPECT_EQ(error.kind(), ErrorKind::kQuery);
  EXPECT_EQ(error.sqlstate(), "23505");
  EXPECT_FALSE(error.is_query_canceled());
  EXPECT_EQ(error.constraint(), "u");
  EXPECT_EQ(error.statement_index(), 2u);
}

TEST(PgErrors, Classification) {
  EXPECT_TRUE(QueryError({.sqlstate = "57014"}).is_query_canceled());
  EXPECT_TRUE(is_connection_sqlstate("08006"));
  EXPECT_TRUE(is_connection_sqlstate("57P01"));
  EXPECT_FALSE(is_connection_sqlstate("57014"));
  EXPECT_FALSE(is_connection_sqlstate("23505"));
}

TEST(PgErrors, KindsAreDistinguishableThroughTheBase) {
  const auto kind_of = [](auto error) {
    try {
      throw error;
    } catch (const Error& e) {
      return e.kind();
    }
  };
  EXPECT_EQ(kind_of(ConnectionError("x")), ErrorKind::kConnection);
  EXPECT_EQ(kind_of(AcquireTimeout("x")), ErrorKind::kAcquireTimeout);
  EXPECT_EQ(kind_of(DecodeError("x")), ErrorKind::kDecode);
}

}  // namespace
}  // namespace utxoiq::pg
