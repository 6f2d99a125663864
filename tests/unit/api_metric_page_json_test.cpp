// The text rendering of GET /metrics pages (api/metric_page_json.hpp) reads back as exactly the
// JSON the domain renderer builds, number kinds included, whatever the units and metadata hold.
#include "api/metric_page_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "domain/cursor.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::api {
namespace {

domain::MetricRecord record(double value, std::string unit,
                            std::optional<boost::json::object> metadata = std::nullopt) {
  domain::MetricRecord r;
  r.id = new_uuid_v7();
  r.metric = {"api-gw",
              "latency.p99",
              value,
              std::move(unit),
              *parse_rfc3339("2026-11-22T01:02:03.456789Z"),
              std::move(metadata)};
  return r;
}

TEST(MetricPageJson, ReadsBackAsTheDomainRenderingOfEveryPoint) {
  store::MetricPage page;
  page.metrics = {
      record(3, "ms"),
      record(-0.125, "\"quoted\" \\ tab\t nl\n"),
      record(1e300, "caf\xc3\xa9 \xe2\x82\xac"),
      record(5e-324, "%",
             boost::json::parse(R"({"a":[1,2.5,"x\u0001"],"b":{"c":null}})").as_object()),
      record(123456789.123456789, "u"),
  };
  const std::string text = render_metric_page(page);
  const auto parsed = boost::json::parse(text).as_object();
  const auto& metrics = parsed.at("metrics").as_array();
  ASSERT_EQ(metrics.size(), page.metrics.size());
  std::size_t at = 0;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    auto got = metrics[i].as_object();
    auto want = domain::to_json(page.metrics[i]);
    EXPECT_TRUE(got.at("metric_value").is_double()) << i;
    // Boost.JSON 1.81 parses numbers fast but not always correctly rounded, so the value is
    // checked on the text, with strtod, and left out of the comparison of the rest.
    at = text.find(R"("metric_value":)", at) + 15;
    EXPECT_EQ(std::strtod(text.c_str() + at, nullptr), page.metrics[i].metric.metric_value) << i;
    got.erase("metric_value");
    want.erase("metric_value");
    EXPECT_EQ(got, want) << i;
  }
  EXPECT_TRUE(parsed.at("next_cursor").is_null());
}

TEST(MetricPageJson, CarriesTheNextCursorAndRendersAnEmptyPage) {
  store::MetricPage page;
  EXPECT_EQ(render_metric_page(page), R"({"metrics":[],"next_cursor":null})");
  const domain::KeysetCursor cursor{domain::CursorKind::metrics,
                                    *parse_rfc3339("2026-11-22T01:00:00Z"), new_uuid_v7()};
  page.next = cursor;
  const auto parsed = boost::json::parse(render_metric_page(page));
  EXPECT_EQ(
      domain::decode_cursor(parsed.at("next_cursor").as_string(), domain::CursorKind::metrics),
      cursor);
}

TEST(MetricPageJson, APageStopsAtItsByteCapAndItsCursorContinuesAfterTheLastPoint) {
  boost::json::object metadata{{"pad", std::string(8000, 'p')}};
  store::MetricPage page;
  for (int i = 0; i < 1'000; ++i) page.metrics.push_back(record(i, "ms", metadata));
  const std::string text = render_metric_page(page);
  EXPECT_LT(text.size(), kMaxMetricPageBytes + 9'000);
  const auto parsed = boost::json::parse(text).as_object();
  const auto& metrics = parsed.at("metrics").as_array();
  ASSERT_LT(metrics.size(), page.metrics.size());
  const auto& last = page.metrics[metrics.size() - 1];
  const auto cursor =
      domain::decode_cursor(parsed.at("next_cursor").as_string(), domain::CursorKind::metrics);
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->id, last.id);
  EXPECT_EQ(cursor->at, last.metric.timestamp);
}

}  // namespace
}  // namespace utxoiq::api
