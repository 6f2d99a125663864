// Response JSON: numbers as people write them (Boost.JSON 1.81 would write 4.5E0), everything
// else as Boost writes it, and always text that Boost parses back to the same value.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <limits>

#include "util/json_text.hpp"

namespace utxoiq {
namespace {

TEST(JsonText, DoublesAreShortestRoundTripText) {
  EXPECT_EQ(to_json_text(boost::json::value(4.5)), "4.5");
  EXPECT_EQ(to_json_text(boost::json::value(50.0)), "50.0");
  EXPECT_EQ(to_json_text(boost::json::value(0.0)), "0.0");
  EXPECT_EQ(to_json_text(boost::json::value(-3.0)), "-3.0");
  EXPECT_EQ(to_json_text(boost::json::value(-12.345)), "-12.345");
  EXPECT_EQ(to_json_text(boost::json::value(0.1)), "0.1");
  EXPECT_EQ(to_json_text(boost::json::value(1e-7)), "1e-07");
  EXPECT_EQ(to_json_text(boost::json::value(123456789.5)), "123456789.5");
}

TEST(JsonText, NonFiniteDoublesBecomeNull) {
  EXPECT_EQ(to_json_text(boost::json::value(std::numeric_limits<double>::quiet_NaN())), "null");
  EXPECT_EQ(to_json_text(boost::json::value(std::numeric_limits<double>::infinity())), "null");
}

TEST(JsonText, OtherKindsAsBoostWritesThem) {
  const auto value = boost::json::parse(
      R"({"a":[1,-2,18446744073709551615,true,false,null],"b":"q\"uo\\te\n\u0001","c":{}})");
  EXPECT_EQ(to_json_text(value), boost::json::serialize(value));
}

TEST(JsonText, DoublesParseBackAsDoubles) {
  EXPECT_TRUE(boost::json::parse(to_json_text(boost::json::value(50.0))).is_double());
  EXPECT_TRUE(boost::json::parse(to_json_text(boost::json::value(1e300))).is_double());
  EXPECT_TRUE(boost::json::parse(to_json_text(boost::json::value(std::int64_t{50}))).is_int64());
}

TEST(JsonText, TextParsesBackToTheSameValue) {
  const boost::json::value value = {
      {"average_rating", 4.333333333333333}, {"progress", 99.99},
      {"big", 1.7976931348623157e308},       {"tiny", 5e-324},
      {"nested", {{"list", {1.5, 2, "x"}}}}, {"unicode", "\xE2\x82\xAC"},
  };
  EXPECT_EQ(boost::json::parse(to_json_text(value)), value);
}

}  // namespace
}  // namespace utxoiq
