// pg::params(...) turns C++ values into PostgreSQL text parameters (or NULL).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "pg/params.hpp"

namespace utxoiq::pg {
namespace {

TEST(PgParams, ConvertsEachArgumentInOrder) {
  const std::string id = "4b1c";
  const Params p = params(id, 42, std::nullopt, 1.5, true, "text", std::string_view("view"));
  ASSERT_EQ(p.size(), 7u);
  EXPECT_EQ(p[0], "4b1c");
  EXPECT_EQ(p[1], "42");
  EXPECT_FALSE(p[2].has_value());
  EXPECT_EQ(p[3], "1.5");
  EXPECT_EQ(p[4], "true");
  EXPECT_EQ(p[5], "text");
  EXPECT_EQ(p[6], "view");
}

TEST(PgParams, IntegersOfAllWidthsKeepTheirExtremes) {
  const Params p =
      params(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::uint64_t>::max(),
             std::int16_t{-7}, std::uint8_t{200});
  EXPECT_EQ(p[0], "-9223372036854775808");
  EXPECT_EQ(p[1], "18446744073709551615");
  EXPECT_EQ(p[2], "-7");
  EXPECT_EQ(p[3], "200");  // not a character
}

TEST(PgParams, FalseIsNotNull) {
  const Params p = params(false);
  ASSERT_TRUE(p[0].has_value());
  EXPECT_EQ(p[0], "false");
}

TEST(PgParams, DoublesRoundTripExactly) {
  const double values[] = {0.1, 1.0 / 3.0, 1e-300, -2.5e17, 123456789.123456789};
  for (const double value : values) {
    const Param text = to_param(value);
    ASSERT_TRUE(text.has_value());
    EXPECT_EQ(std::stod(*text), value) << *text;
  }
}

TEST(PgParams, NonFiniteDoublesUsePostgresSpelling) {
  EXPECT_EQ(to_param(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(to_param(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(to_param(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(PgParams, OptionalsAndNullPointersBecomeNull) {
  const std::optional<int> none;
  const std::optional<int> some = 5;
  const char* null_text = nullptr;
  const Params p = params(none, some, null_text, nullptr, std::optional<std::string>("x"));
  EXPECT_FALSE(p[0].has_value());
  EXPECT_EQ(p[1], "5");
  EXPECT_FALSE(p[2].has_value());
  EXPECT_FALSE(p[3].has_value());
  EXPECT_EQ(p[4], "x");
}

TEST(PgParams, TimePointsAreUtcWithMicroseconds) {
  using namespace std::chrono;
  const auto time = sys_days{year{2024} / 2 / 29} + hours{23} + minutes{59} + seconds{58} +
                    microseconds{123456} + nanoseconds{999};
  EXPECT_EQ(to_param(time_point_cast<system_clock::duration>(time)),
            "2024-02-29 23:59:58.123456+00");
}

TEST(PgParams, ArraysAreQuotedLiterals) {
  EXPECT_EQ(to_param(std::vector<std::int64_t>{1, -2, 3}), "{1,-2,3}");
  EXPECT_EQ(to_param(std::vector<std::int64_t>{}), "{}");
  EXPECT_EQ(to_param(std::vector<std::string>{"a", "", "NULL", "q\"b\\c", "x,y"}),
            R"({"a","","NULL","q\"b\\c","x,y"})");
}

TEST(PgParams, ArraysOfNullableElementsSpellNullUnquotedAndQuoteTheRest) {
  EXPECT_EQ(
      array_literal(std::vector<Param>{Param{"1"}, std::nullopt, Param{"NULL"}, Param{"q\"b"}}),
      R"({"1",NULL,"NULL","q\"b"})");
  EXPECT_EQ(array_literal(std::vector<Param>{}), "{}");
}

}  // namespace
}  // namespace utxoiq::pg
