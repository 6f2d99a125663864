// Metric validation (single and batch) and the JSON form of metrics.
#include "domain/metric.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "util/rfc3339.hpp"

namespace utxoiq::domain {
namespace {

using namespace std::chrono;

const Timestamp kNow = *parse_rfc3339("2026-11-22T01:00:00Z");

boost::json::object body(std::string_view json) {
  return boost::json::parse(json).as_object();
}

std::vector<std::string> fields_of(const FieldErrors& errors) {
  std::vector<std::string> fields;
  for (const auto& e : errors) {
    EXPECT_FALSE(e.message.empty()) << e.field;
    fields.push_back(e.field);
  }
  return fields;
}

boost::json::object good_metric() {
  return body(R"({"service_name":"web-api.v2:eu_1","metric_type":"latency.p95","metric_value":12.5,
                  "unit":"ms"})");
}

TEST(Metric, AcceptsAMinimalMetricAndDefaultsTheTimestampToNow) {
  const auto r = parse_metric(good_metric(), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->service_name, "web-api.v2:eu_1");
  EXPECT_EQ(r->metric_type, "latency.p95");
  EXPECT_EQ(r->metric_value, 12.5);
  EXPECT_EQ(r->unit, "ms");
  EXPECT_EQ(r->timestamp, kNow);
  EXPECT_FALSE(r->metadata);
}

TEST(Metric, AcceptsIntegersOffsetsAndMetadata) {
  auto o = good_metric();
  o["metric_value"] = -3;
  o["timestamp"] = "2026-11-22T06:30:00+05:30";
  o["metadata"] = body(R"({"host":"a","tags":["x",1,null],"n":{"deep":true}})");
  const auto r = parse_metric(o, kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->metric_value, -3.0);
  EXPECT_EQ(r->timestamp, kNow);
  ASSERT_TRUE(r->metadata);
  EXPECT_EQ(r->metadata->at("host"), "a");

  o["metadata"] = nullptr;
  o["timestamp"] = nullptr;
  o["metric_value"] = 18446744073709551615ULL;
  const auto n = parse_metric(o, kNow);
  ASSERT_TRUE(n.ok());
  EXPECT_FALSE(n->metadata);
  EXPECT_EQ(n->timestamp, kNow);
}

TEST(Metric, TimestampWindowIsInclusive) {
  auto o = good_metric();
  const auto with = [&](Timestamp t) {
    o["timestamp"] = format_rfc3339(t);
    return parse_metric(o, kNow);
  };
  EXPECT_TRUE(with(kNow + minutes{5}).ok());
  EXPECT_TRUE(with(kNow - days{365}).ok());
  EXPECT_EQ(fields_of(with(kNow + minutes{5} + microseconds{1}).errors()),
            std::vector<std::string>{"timestamp"});
  EXPECT_EQ(fields_of(with(kNow - days{365} - microseconds{1}).errors()),
            std::vector<std::string>{"timestamp"});
}

TEST(Metric, MetadataIsAnObjectOfAtMost8KiBSerialized) {
  auto o = good_metric();
  // {"k":"<n x's>"} is n + 8 bytes.
  boost::json::object meta{{"k", std::string(8192 - 8, 'x')}};
  ASSERT_EQ(boost::json::serialize(meta).size(), 8192u);
  o["metadata"] = meta;
  EXPECT_TRUE(parse_metric(o, kNow).ok());
  meta["k"] = std::string(8192 - 7, 'x');
  o["metadata"] = meta;
  EXPECT_EQ(fields_of(parse_metric(o, kNow).errors()), std::vector<std::string>{"metadata"});
  // A huge object is cut short by the size check.
  meta["k"] = std::string(1 << 20, 'x');
  EXPECT_GT(serialized_size_up_to(meta, 8192), 8192u);
  EXPECT_LT(serialized_size_up_to(meta, 8192), 20'000u);
}

TEST(Metric, ReportsEveryInvalidField) {
  struct Case {
    std::string json;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {R"({})", {"service_name", "metric_type", "metric_value", "unit"}},
      {R"({"service_name":"web api","metric_type":"cpu/user","metric_value":"12.5","unit":"",
           "timestamp":"2026-11-22T01:00:00","metadata":[1]})",
       {"service_name", "metric_type", "metric_value", "unit", "timestamp", "metadata"}},
      {R"({"service_name":")" + std::string(101, 's') + R"(","metric_type":")" +
           std::string(51, 't') + R"(","metric_value":true,"unit":")" + std::string(21, 'u') +
           R"(","metadata":"x"})",
       {"service_name", "metric_type", "metric_value", "unit", "metadata"}},
      {R"({"service_name":"s","metric_type":"t","metric_value":null,"unit":"ms",
           "metadata":{"bad":"a\u0000b"}})",
       {"metric_value", "metadata"}},
      {R"({"service_name":"s\u00e9","metric_type":"t","metric_value":1,"unit":"ms",
           "timestamp":12})",
       {"service_name", "timestamp"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_metric(body(c.json), kNow);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(fields_of(r.errors()), c.fields) << c.json;
  }
}

TEST(Metric, LengthLimitsAreExactAndUnitCountsCodePoints) {
  auto o = good_metric();
  o["service_name"] = std::string(100, 'S');
  o["metric_type"] = std::string(50, '-');
  std::string unit;
  for (int i = 0; i < 20; ++i) unit += "\u00b5";  // µ, 2 bytes
  o["unit"] = unit;
  EXPECT_TRUE(parse_metric(o, kNow).ok());
  o["unit"] = unit + "s";
  EXPECT_EQ(fields_of(parse_metric(o, kNow).errors()), std::vector<std::string>{"unit"});
}

TEST(Metric, RefusesNonFiniteValuesBuiltInMemory) {
  auto o = good_metric();
  for (const double bad :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    o["metric_value"] = bad;
    EXPECT_EQ(fields_of(parse_metric(o, kNow).errors()), std::vector<std::string>{"metric_value"});
  }
}

boost::json::object batch_of(std::size_t n) {
  boost::json::array metrics;
  metrics.reserve(n);
  const boost::json::object one = good_metric();
  for (std::size_t i = 0; i < n; ++i) metrics.push_back(one);
  return boost::json::object{{"metrics", std::move(metrics)}};
}

TEST(MetricBatch, AcceptsOneToTenThousand) {
  const auto one = parse_metric_batch(batch_of(1), kNow);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  const auto full = parse_metric_batch(batch_of(10'000), kNow);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->size(), 10'000u);
  EXPECT_EQ(full->back().unit, "ms");
}

TEST(MetricBatch, RefusesAnEmptyOrOversizedOrMissingArray) {
  for (const auto& o : {batch_of(0), batch_of(10'001), body("{}"), body(R"({"metrics":null})"),
                        body(R"({"metrics":{"a":1}})")}) {
    const auto r = parse_metric_batch(o, kNow);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(fields_of(r.errors()), std::vector<std::string>{"metrics"});
  }
}

TEST(MetricBatch, NamesTheIndexAndMemberOfEveryBadMetric) {
  boost::json::object o = batch_of(20);
  auto& items = o["metrics"].as_array();
  items[17].as_object()["metric_value"] = "12";
  items[3] = 42;
  items[5].as_object().erase("unit");
  items[5].as_object()["service_name"] = "has space";
  const auto r = parse_metric_batch(o, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fields_of(r.errors()),
            (std::vector<std::string>{"metrics[3]", "metrics[5].service_name", "metrics[5].unit",
                                      "metrics[17].metric_value"}));
}

TEST(MetricJson, HasEveryFieldAndTheIdWhenStored) {
  Metric m;
  m.service_name = "s";
  m.metric_type = "t";
  m.metric_value = 2.5;
  m.unit = "ms";
  m.timestamp = kNow;
  boost::json::object o = to_json(m);
  EXPECT_EQ(o.size(), 6u);
  EXPECT_EQ(o.at("metric_value").as_double(), 2.5);
  EXPECT_EQ(o.at("timestamp"), "2026-11-22T01:00:00.000000Z");
  EXPECT_TRUE(o.at("metadata").is_null());
  m.metadata = boost::json::object{{"a", 1}};
  const MetricRecord record{*Uuid::parse("0192f0c4-5b7a-7cde-8f01-23456789abcd"), m};
  o = to_json(record);
  EXPECT_EQ(o.size(), 7u);
  EXPECT_EQ(o.at("id"), "0192f0c4-5b7a-7cde-8f01-23456789abcd");
  EXPECT_EQ(o.at("metadata").at("a").as_int64(), 1);
}

}  // namespace
}  // namespace utxoiq::domain
