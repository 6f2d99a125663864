// How the configured connection string and our session settings become libpq's keyword arrays.
#include <gtest/gtest.h>

#include "pg/conninfo.hpp"
#include "pg/errors.hpp"

namespace utxoiq::pg {
namespace {

TEST(PgConninfo, UriIsSplitIntoKeywords) {
  const auto params =
      build_connect_params("postgresql://alice:secret@db.example:6543/metrics?sslmode=disable", {});
  EXPECT_EQ(params.value_of("host"), "db.example");
  EXPECT_EQ(params.value_of("port"), "6543");
  EXPECT_EQ(params.value_of("user"), "alice");
  EXPECT_EQ(params.value_of("password"), "secret");
  EXPECT_EQ(params.value_of("dbname"), "metrics");
  EXPECT_EQ(params.value_of("sslmode"), "disable");
}

TEST(PgConninfo, SessionSettingsGoIntoStartupOptions) {
  SessionSettings settings;
  settings.statement_timeout_ms = 1234;
  const auto params = build_connect_params("host=localhost dbname=x", settings);
  const auto options = params.value_of("options");
  EXPECT_NE(options.find("-c statement_timeout=1234"), std::string::npos) << options;
  EXPECT_NE(options.find("-c TimeZone=UTC"), std::string::npos) << options;
  EXPECT_NE(options.find("-c DateStyle=ISO"), std::string::npos) << options;
  EXPECT_EQ(params.value_of("application_name"), "utxoiq-store");
  EXPECT_EQ(params.value_of("keepalives_idle"), "30");
}

TEST(PgConninfo, ZeroStatementTimeoutSetsNone) {
  SessionSettings settings;
  settings.statement_timeout_ms = 0;
  const auto options = build_connect_params("host=localhost", settings).value_of("options");
  EXPECT_EQ(options.find("statement_timeout"), std::string::npos) << options;
}

TEST(PgConninfo, StringSettingsWin) {
  const auto params = build_connect_params(
      "host=h application_name=custom keepalives_idle=5 options='-c work_mem=64MB'", {});
  EXPECT_EQ(params.value_of("application_name"), "custom");
  EXPECT_EQ(params.value_of("keepalives_idle"), "5");
  const auto options = params.value_of("options");
  // The string's own options come last, so a -c there overrides ours.
  EXPECT_NE(options.find("-c work_mem=64MB"), std::string::npos);
  EXPECT_GT(options.find("work_mem"), options.find("statement_timeout"));
}

TEST(PgConninfo, EachKeywordOnceAndArraysNullTerminated) {
  const auto params = build_connect_params("host=h port=1 application_name=a", {});
  ASSERT_EQ(params.keywords.size(), params.values.size());
  for (std::size_t i = 0; i < params.keywords.size(); ++i)
    for (std::size_t j = i + 1; j < params.keywords.size(); ++j)
      EXPECT_NE(params.keywords[i], params.keywords[j]);
  const auto keywords = params.keyword_pointers();
  const auto values = params.value_pointers();
  ASSERT_EQ(keywords.size(), params.keywords.size() + 1);
  EXPECT_EQ(keywords.back(), nullptr);
  EXPECT_EQ(values.back(), nullptr);
}

TEST(PgConninfo, UnparsableStringThrowsWithoutEchoingIt) {
  try {
    build_connect_params("host=h password=hunter2 garbage", {});
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
  }
}

}  // namespace
}  // namespace utxoiq::pg
