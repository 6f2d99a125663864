// The connection strings given to pg_dump/pg_restore (ops/pg_tool): the password is taken out of
// the text that goes on their command line (and given in the environment instead), the database
// name is replaced when asked, and nothing else of the URL is lost.
#include <gtest/gtest.h>

#include "ops/pg_tool.hpp"

namespace utxoiq::ops {
namespace {

TEST(PgTool, PasswordNeverInTheCommandLineText) {
  const std::string url = "postgresql://app:s3cr%27et@db.example:6432/utxoiq?sslmode=require";
  const std::string text = conninfo_without_password(url);
  EXPECT_EQ(text.find("s3cr"), std::string::npos) << text;
  EXPECT_EQ(text.find("password"), std::string::npos) << text;
  EXPECT_NE(text.find("host='db.example'"), std::string::npos) << text;
  EXPECT_NE(text.find("port='6432'"), std::string::npos) << text;
  EXPECT_NE(text.find("user='app'"), std::string::npos) << text;
  EXPECT_NE(text.find("dbname='utxoiq'"), std::string::npos) << text;
  EXPECT_NE(text.find("sslmode='require'"), std::string::npos) << text;
  EXPECT_EQ(conninfo_password(url), "s3cr'et");
}

TEST(PgTool, DatabaseReplacedOrAdded) {
  EXPECT_NE(conninfo_without_password("postgresql://u@h/one", "two").find("dbname='two'"),
            std::string::npos);
  EXPECT_EQ(conninfo_without_password("postgresql://u@h/one", "two").find("one"),
            std::string::npos);
  EXPECT_NE(conninfo_without_password("host=h user=u", "two").find("dbname='two'"),
            std::string::npos);
  const std::string kept = conninfo_with_database("host=h password='p w\\'x' dbname=a", "b");
  EXPECT_NE(kept.find("password='p w\\'x'"), std::string::npos) << kept;
  EXPECT_NE(kept.find("dbname='b'"), std::string::npos) << kept;
  EXPECT_EQ(conninfo_password("host=h user=u"), "");
}

TEST(PgTool, InvalidUrlIsABadValue) {
  EXPECT_THROW(conninfo_without_password("host='unterminated"), std::invalid_argument);
}

TEST(PgTool, MissingProgramNamesThePackage) {
  try {
    pg_program_path("pg_dump", 990000);
    ADD_FAILURE() << "a PostgreSQL 99 pg_dump was found";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("postgresql-client-99"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pg_program_path("pg_dump", 150004), "/usr/lib/postgresql/15/bin/pg_dump");
}

}  // namespace
}  // namespace utxoiq::ops
