// No credential of a database or Redis URL reaches a log line, whatever the URL's form: the odd
// ones (a password in the query, '@', ':' and '/' in a password, keyword conninfo strings with
// quotes, Redis URLs) included. Each case checks both that the secret is gone and what remains.
#include <gtest/gtest.h>

#include <string>

#include "app/database_target.hpp"

namespace utxoiq::app {
namespace {

struct Case {
  std::string url;
  std::string secret;  // must not appear
  std::string shown;   // the whole redacted text
};

TEST(RedactUrl, RemovesEveryCredentialAndKeepsWhereTheServerIs) {
  const Case cases[] = {
      {"postgresql://h/db?user=a@b&password=s3cret", "s3cret", "postgresql://h/db"},
      {"postgresql://alice:s3cret@h:5432/db", "s3cret", "postgresql://h:5432/db"},
      {"postgresql://alice:p@ss:w@rd@h/db", "ss:w", "postgresql://h/db"},
      {"postgresql://alice:pa/ss@h/db", "pa/ss", "postgresql://h/db"},
      {"postgresql://alice:s3cret@h1:5432,h2:5433/db?sslmode=require", "s3cret",
       "postgresql://h1:5432,h2:5433/db"},
      {"postgres://h/db?sslpassword=s3cret#frag", "s3cret", "postgres://h/db"},
      {"postgresql://%2Fvar%2Frun?password=s3cret", "s3cret", "postgresql://%2Fvar%2Frun"},
      {"host=h port=5432 user=alice password=s3cret dbname=db", "s3cret",
       "host=h port=5432 dbname=db"},
      {"host=h password='s3 cret with \\' quote' dbname = 'my db'", "cret", "host=h dbname=my db"},
      {"password=s3cret", "s3cret", "(unreadable connection string)"},
      {"host=h password='s3cret", "s3cret", "(unreadable connection string)"},
      {"redis://:s3cret@127.0.0.1:6379/2", "s3cret", "redis://127.0.0.1:6379/2"},
      {"redis://default:s3cret@[::1]:6380", "s3cret", "redis://[::1]:6380"},
      {"rediss://u:s3%40cret@cache.example:6380/0?x=y", "s3%40cret",
       "rediss://cache.example:6380/0"},
  };
  for (const Case& c : cases) {
    const std::string shown = redact_url(c.url);
    EXPECT_EQ(shown.find(c.secret), std::string::npos) << c.url << " -> " << shown;
    EXPECT_EQ(shown, c.shown) << c.url;
  }
}

TEST(RedactUrl, DatabaseTargetDescribesAGivenUrlRedacted) {
  DatabaseOptions options;
  options.database_url = "postgresql://h/db?user=a@b&password=s3cret";
  const DatabaseTarget target(options);
  EXPECT_EQ(target.describe(), "postgresql://h/db");
}

}  // namespace
}  // namespace utxoiq::app
