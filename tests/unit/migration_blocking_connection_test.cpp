// Errors of pg::BlockingConnection (the connection the migration commands use) never show a
// password: the CLI prints them.
#include "pg/blocking_connection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace utxoiq::pg {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string connect_error(const std::string& conninfo) {
  try {
    BlockingConnection connection(conninfo);
  } catch (const BlockingConnectionError& error) {
    EXPECT_EQ(error.sqlstate(), "");  // not from a server
    return error.what();
  }
  ADD_FAILURE() << "connected";
  return {};
}

TEST(RedactPassword, HidesPasswordsOfUrisAndKeywordStrings) {
  EXPECT_EQ(redact_password("x s3cret y", "postgresql://user:s3cret@host/db"), "x *** y");
  EXPECT_EQ(redact_password("x s3cret y", "host=h password=s3cret dbname=d"), "x *** y");
  EXPECT_EQ(redact_password("x s3 cret y", "host=h password='s3 cret'"), "x *** y");
  EXPECT_EQ(redact_password("x s3cret y", "postgresql://h/db?password=s3cret&sslmode=disable"),
            "x *** y");
  EXPECT_EQ(redact_password("nothing secret", "postgresql://user@host/db"), "nothing secret");
}

TEST(RedactPassword, HidesThePasswordOfAStringLibpqCannotParse) {
  EXPECT_EQ(redact_password("bad: user:pw0rd@", "postgresql://user:pw0rd@host:notaport/db"),
            "bad: user:***@");
  EXPECT_EQ(redact_password("near \"password=pw0rd junk\"", "password=pw0rd junk"),
            "near \"password=*** junk\"");
}

TEST(BlockingConnection, RefusedConnectionNamesTheProblemButNotThePassword) {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const std::string message =
      connect_error("postgresql://someone:VerySecretPw@127.0.0.1:1/db?connect_timeout=5");
  EXPECT_THAT(message, HasSubstr("cannot connect to PostgreSQL"));
  EXPECT_THAT(message, Not(HasSubstr("VerySecretPw")));
}

TEST(BlockingConnection, UnparsableConnectionStringDoesNotShowThePassword) {
  const std::string message = connect_error("host=127.0.0.1 password=VerySecretPw bogus");
  EXPECT_THAT(message, HasSubstr("cannot connect to PostgreSQL"));
  EXPECT_THAT(message, Not(HasSubstr("VerySecretPw")));
}

}  // namespace
}  // namespace utxoiq::pg
