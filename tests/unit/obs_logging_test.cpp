// JSON-lines logging: each line parses as one JSON object with ts, level, msg and the fields,
// whatever the values contain (quotes, control characters, invalid UTF-8).
#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "obs/logging.hpp"
#include "util/json_escape.hpp"

namespace utxoiq::obs {
namespace {

class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    init_logging(LogLevel::debug, true, std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  }
  std::vector<boost::json::object> lines() {
    flush_logs();
    std::vector<boost::json::object> parsed;
    std::istringstream in(out.str());
    std::string line;
    while (std::getline(in, line)) {
      boost::system::error_code ec;
      auto value = boost::json::parse(line, ec);
      EXPECT_FALSE(ec) << "not JSON: " << line;
      if (!ec) {
        EXPECT_TRUE(value.is_object()) << line;
        if (value.is_object()) parsed.push_back(value.as_object());
      }
    }
    return parsed;
  }
  std::ostringstream out;
};

TEST_F(LoggingTest, LineHasTimestampLevelMessageAndFields) {
  log_info("request", {{"request_id", "r-1"},
                       {"status", 200},
                       {"bytes", std::size_t{15}},
                       {"duration_ms", 1.25},
                       {"cached", true},
                       {"delta", -3}});
  const auto parsed = lines();
  ASSERT_EQ(parsed.size(), 1u);
  const auto& line = parsed[0];
  EXPECT_EQ(line.at("level").as_string(), "info");
  EXPECT_EQ(line.at("msg").as_string(), "request");
  EXPECT_EQ(line.at("request_id").as_string(), "r-1");
  EXPECT_EQ(line.at("status").as_int64(), 200);
  EXPECT_EQ(line.at("bytes").to_number<std::int64_t>(), 15);
  EXPECT_DOUBLE_EQ(line.at("duration_ms").as_double(), 1.25);
  EXPECT_EQ(line.at("cached").as_bool(), true);
  EXPECT_EQ(line.at("delta").as_int64(), -3);
  // 2026-11-22T01:00:00.000000Z
  const std::string ts(line.at("ts").as_string());
  ASSERT_EQ(ts.size(), 27u) << ts;
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts[19], '.');
  EXPECT_EQ(ts.back(), 'Z');
}

TEST_F(LoggingTest, ValuesAreEscaped) {
  const std::string nasty = "quote\" backslash\\ newline\n tab\t bell\x07 bad\xFF utf8 \xC3\xA9";
  log_warn(nasty, {{"path", nasty}, {"k\"ey", "v"}});
  const auto parsed = lines();
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].at("level").as_string(), "warn");
  const std::string expected =
      "quote\" backslash\\ newline\n tab\t bell\x07 bad\xEF\xBF\xBD utf8 \xC3\xA9";
  EXPECT_EQ(parsed[0].at("msg").as_string(), expected);
  EXPECT_EQ(parsed[0].at("path").as_string(), expected);
  EXPECT_EQ(parsed[0].at("k\"ey").as_string(), "v");
}

TEST_F(LoggingTest, NonFiniteNumbersBecomeNull) {
  log_error("odd", {{"value", std::numeric_limits<double>::infinity()}});
  const auto parsed = lines();
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].at("level").as_string(), "error");
  EXPECT_TRUE(parsed[0].at("value").is_null());
}

TEST_F(LoggingTest, PlainSpdlogCallsAreJsonToo) {
  spdlog::info("plain {} with \"quotes\"", 42);
  const auto parsed = lines();
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].at("msg").as_string(), "plain 42 with \"quotes\"");
  EXPECT_EQ(parsed[0].size(), 3u);
}

TEST_F(LoggingTest, LevelFilters) {
  set_log_level(LogLevel::warn);
  EXPECT_FALSE(log_enabled(LogLevel::info));
  EXPECT_TRUE(log_enabled(LogLevel::error));
  log_info("dropped");
  log_debug("dropped");
  log_error("kept");
  const auto parsed = lines();
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].at("msg").as_string(), "kept");
}

TEST_F(LoggingTest, BracesInMessagesAreNotFormatted) {
  log_info("{} literally {0}", {{"x", 1}});
  const auto parsed = lines();
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].at("msg").as_string(), "{} literally {0}");
}

TEST(LogLevels, Parse) {
  EXPECT_EQ(parse_log_level("INFO"), LogLevel::info);
  EXPECT_EQ(parse_log_level("warning"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("off"), LogLevel::off);
  EXPECT_FALSE(parse_log_level("verbose").has_value());
  EXPECT_EQ(log_level_name(LogLevel::error), "error");
}

TEST(TextLines, FieldsAsKeyValue) {
  std::ostringstream out;
  init_logging(LogLevel::info, false, std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  log_info("started", {{"port", 8080}, {"name", "two words"}});
  flush_logs();
  const auto text = out.str();
  EXPECT_NE(text.find(" info started port=8080 name=\"two words\"\n"), std::string::npos) << text;
}

TEST(JsonEscape, ControlCharactersAndInvalidUtf8) {
  EXPECT_EQ(json_quote("a\x01z"), "\"a\\u0001z\"");
  EXPECT_EQ(json_quote("\xE2\x82\xAC"), "\"\xE2\x82\xAC\"");  // a valid 3-byte sequence
  EXPECT_EQ(json_quote("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  EXPECT_EQ(json_quote("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // overlong
  EXPECT_EQ(json_quote("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");                  // 4 bytes
  EXPECT_EQ(json_quote("cut \xE2\x82"), "\"cut \xEF\xBF\xBD\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace utxoiq::obs
