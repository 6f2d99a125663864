// Query parameters of the metric range, aggregate and series reads, and their result JSON.
#include "domain/metric_queries.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "util/rfc3339.hpp"

namespace utxoiq::domain {
namespace {

using namespace std::chrono;
using Params = std::vector<QueryParams::ViewPair>;

const Timestamp kNow = *parse_rfc3339("2026-11-22T01:00:00Z");

std::vector<std::string> fields_of(const FieldErrors& errors) {
  std::vector<std::string> fields;
  for (const auto& e : errors) {
    EXPECT_FALSE(e.message.empty()) << e.field;
    fields.push_back(e.field);
  }
  return fields;
}

std::string describe(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) out.append(k).append("=").append(v).append("&");
  return out;
}

TEST(MetricRangeQuery, DefaultsToTheLastHourAndAThousandRows) {
  const Params params{{"service_name", "api"}};
  const auto r = parse_metric_range_query(QueryParams(params), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->service_name, "api");
  EXPECT_FALSE(r->metric_type);
  EXPECT_EQ(r->end, kNow);
  EXPECT_EQ(r->start, kNow - hours{1});
  EXPECT_EQ(r->page.limit, 1000);
  EXPECT_FALSE(r->page.after);
}

TEST(MetricRangeQuery, StartDefaultsRelativeToAGivenEnd) {
  const Params params{{"service_name", "api"}, {"end", "2026-01-01T00:00:00Z"}};
  const auto r = parse_metric_range_query(QueryParams(params), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end, parse_rfc3339("2026-01-01T00:00:00Z"));
  EXPECT_EQ(r->start, parse_rfc3339("2025-12-31T23:00:00Z"));
}

TEST(MetricRangeQuery, AcceptsExactlyThirtyOneDaysAndTheMaximumLimit) {
  const std::string start = format_rfc3339(kNow - days{31});
  const KeysetCursor cursor{CursorKind::metrics, kNow - days{1}, Uuid{}};
  const std::string token = encode_cursor(cursor);
  const Params params{{"service_name", "api"},
                      {"metric_type", "cpu"},
                      {"start", start},
                      {"limit", "10000"},
                      {"cursor", token}};
  const auto r = parse_metric_range_query(QueryParams(params), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->metric_type, "cpu");
  EXPECT_EQ(r->start, kNow - days{31});
  EXPECT_EQ(r->end, kNow);
  EXPECT_EQ(r->page.limit, 10000);
  EXPECT_EQ(r->page.after, cursor);
  // start == end is an empty range, not an error.
  const std::string now_text = format_rfc3339(kNow);
  const Params empty{{"service_name", "api"}, {"start", now_text}, {"end", now_text}};
  EXPECT_TRUE(parse_metric_range_query(QueryParams(empty), kNow).ok());
}

TEST(MetricRangeQuery, NamesEveryInvalidParameter) {
  const std::string too_long = format_rfc3339(kNow - days{31} - microseconds{1});
  const std::string after = format_rfc3339(kNow + microseconds{1});
  struct Case {
    Params params;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {{}, {"service_name"}},
      {{{"service_name", ""}, {"metric_type", "a b"}, {"limit", "10001"}},
       {"service_name", "metric_type", "limit"}},
      {{{"service_name", "api"}, {"start", "2026-11-22T00:00:00"}, {"end", "now"}},
       {"start", "end"}},
      {{{"service_name", "api"}, {"start", after}}, {"start"}},
      {{{"service_name", "api"}, {"start", too_long}}, {"start"}},
      {{{"service_name", "api"}, {"limit", "0"}, {"cursor", "AAAA"}}, {"limit", "cursor"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_metric_range_query(QueryParams(c.params), kNow);
    ASSERT_FALSE(r.ok()) << describe(c.params);
    EXPECT_EQ(fields_of(r.errors()), c.fields) << describe(c.params);
  }
}

TEST(MetricAggregateQuery, DefaultRangeDependsOnTheInterval) {
  const std::pair<const char*, microseconds> cases[] = {
      {"hour", hours{24}}, {"day", days{30}}, {"week", weeks{12}}};
  for (const auto& [interval, span] : cases) {
    const Params params{{"service_name", "api"}, {"metric_type", "cpu"}, {"interval", interval}};
    const auto r = parse_metric_aggregate_query(QueryParams(params), kNow);
    ASSERT_TRUE(r.ok()) << interval;
    EXPECT_EQ(to_string(r->interval), interval);
    EXPECT_EQ(r->end, kNow);
    EXPECT_EQ(r->start, kNow - span) << interval;
    EXPECT_EQ(r->service_name, "api");
    EXPECT_EQ(r->metric_type, "cpu");
  }
}

TEST(MetricAggregateQuery, GivenRangeIsKept) {
  const Params params{{"service_name", "api"},
                      {"metric_type", "cpu"},
                      {"interval", "day"},
                      {"start", "2025-01-01T00:00:00Z"},
                      {"end", "2026-01-01T00:00:00Z"}};
  const auto r = parse_metric_aggregate_query(QueryParams(params), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->start, parse_rfc3339("2025-01-01T00:00:00Z"));
  EXPECT_EQ(r->end, parse_rfc3339("2026-01-01T00:00:00Z"));
}

TEST(MetricRangeQuery, OnlyTheDefaultWindowOfOneSeriesIsTheRecentMetrics) {
  const auto recent = [](const Params& params) {
    const auto r = parse_metric_range_query(QueryParams(params), kNow);
    EXPECT_TRUE(r.ok()) << describe(params);
    return r.ok() && r->recent;
  };
  EXPECT_TRUE(recent({{"service_name", "api"}, {"metric_type", "cpu"}}));
  EXPECT_FALSE(recent({{"service_name", "api"}}));  // every type of the service
  EXPECT_FALSE(recent({{"service_name", "api"}, {"metric_type", "cpu"}, {"limit", "10"}}));
  // The default limit given explicitly is still the default.
  EXPECT_TRUE(recent({{"service_name", "api"}, {"metric_type", "cpu"}, {"limit", "1000"}}));
  EXPECT_FALSE(
      recent({{"service_name", "api"}, {"metric_type", "cpu"}, {"start", "2026-11-22T00:30:00Z"}}));
  EXPECT_FALSE(
      recent({{"service_name", "api"}, {"metric_type", "cpu"}, {"end", "2026-11-22T00:30:00Z"}}));
}

TEST(MetricAggregateQuery, OnlyARangeGivenAtBothEndsIsFixed) {
  const auto fixed = [](const Params& params) {
    const auto r = parse_metric_aggregate_query(QueryParams(params), kNow);
    EXPECT_TRUE(r.ok()) << describe(params);
    return r.ok() && r->fixed_range;
  };
  const Params series{{"service_name", "api"}, {"metric_type", "cpu"}, {"interval", "hour"}};
  auto with = [&](std::initializer_list<QueryParams::ViewPair> more) {
    Params params = series;
    params.insert(params.end(), more);
    return params;
  };
  EXPECT_FALSE(fixed(series));
  EXPECT_FALSE(fixed(with({{"start", "2026-11-21T00:00:00Z"}})));
  EXPECT_FALSE(fixed(with({{"end", "2026-11-21T00:00:00Z"}})));
  EXPECT_TRUE(fixed(with({{"start", "2026-11-20T00:00:00Z"}, {"end", "2026-11-21T00:00:00Z"}})));
}

TEST(MetricAggregateQuery, NamesEveryInvalidParameter) {
  struct Case {
    Params params;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {{}, {"service_name", "metric_type", "interval"}},
      {{{"service_name", "api"}, {"metric_type", "cpu"}, {"interval", "minute"}}, {"interval"}},
      {{{"service_name", "api"}, {"metric_type", "cpu"}, {"interval", "Hour"}}, {"interval"}},
      {{{"service_name", "api"},
        {"metric_type", "cpu"},
        {"interval", "hour"},
        {"start", "2026-11-23T00:00:00Z"}},
       {"start"}},
      {{{"service_name", "api"},
        {"metric_type", "cpu"},
        {"interval", "hour"},
        {"start", "2026-11-22T00:00:00Z"},
        {"end", "2026-11-21T00:00:00Z"}},
       {"start"}},
      {{{"service_name", "api"},
        {"metric_type", "cpu"},
        {"interval", "week"},
        {"end", "2026-11-22T00:00:00+1:00"}},
       {"end"}},
  };
  for (const auto& c : cases) {
    const auto r = parse_metric_aggregate_query(QueryParams(c.params), kNow);
    ASSERT_FALSE(r.ok()) << describe(c.params);
    EXPECT_EQ(fields_of(r.errors()), c.fields) << describe(c.params);
  }
}

TEST(MetricSeriesQuery, DefaultsToFiftyFromTheStartAndTakesLimitAndCursor) {
  const auto first = parse_metric_series_query(QueryParams(Params{}));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->limit, 50);
  EXPECT_FALSE(first->after);

  const SeriesCursor cursor{"api", "latency.p99"};
  const std::string token = encode_cursor(cursor);
  for (const char* limit : {"1", "500"}) {
    const Params params{{"limit", limit}, {"cursor", token}};
    const auto r = parse_metric_series_query(QueryParams(params));
    ASSERT_TRUE(r.ok()) << limit;
    EXPECT_EQ(r->limit, std::stoll(limit));
    EXPECT_EQ(r->after, cursor);
  }
}

TEST(MetricSeriesQuery, NamesABadLimitAndABadCursor) {
  const std::string keyset = encode_cursor(KeysetCursor{CursorKind::metrics, kNow, Uuid{}});
  const std::vector<std::pair<Params, std::vector<std::string>>> cases{
      {{{"limit", "0"}}, {"limit"}},
      {{{"limit", "501"}}, {"limit"}},
      {{{"limit", "-1"}}, {"limit"}},
      {{{"limit", "ten"}}, {"limit"}},
      {{{"limit", ""}}, {"limit"}},
      {{{"limit", "5"}, {"limit", "6"}}, {"limit"}},
      {{{"cursor", "garbage"}}, {"cursor"}},
      {{{"cursor", ""}}, {"cursor"}},
      {{{"cursor", keyset}}, {"cursor"}},  // another list's cursor
      {{{"limit", "501"}, {"cursor", "%%%"}}, {"limit", "cursor"}},
  };
  for (const auto& [params, fields] : cases) {
    const auto r = parse_metric_series_query(QueryParams(params));
    ASSERT_FALSE(r.ok()) << describe(params);
    EXPECT_EQ(fields_of(r.errors()), fields) << describe(params);
  }
}

TEST(MetricResultJson, BucketsAndSeries) {
  const MetricBucket bucket{kNow, 3, 6.0, 2.0, 1.0, 3.0};
  const boost::json::object b = to_json(bucket);
  EXPECT_EQ(b.size(), 6u);
  EXPECT_EQ(b.at("bucket_start"), "2026-11-22T01:00:00.000000Z");
  EXPECT_EQ(b.at("count").as_int64(), 3);
  EXPECT_EQ(b.at("sum").as_double(), 6.0);
  EXPECT_EQ(b.at("avg").as_double(), 2.0);
  EXPECT_EQ(b.at("min").as_double(), 1.0);
  EXPECT_EQ(b.at("max").as_double(), 3.0);

  const MetricSeries series{"api", "cpu", "percent", kNow + microseconds{7}};
  const boost::json::object s = to_json(series);
  EXPECT_EQ(s.size(), 4u);
  EXPECT_EQ(s.at("unit"), "percent");
  EXPECT_EQ(s.at("last_timestamp"), "2026-11-22T01:00:00.000007Z");
}

}  // namespace
}  // namespace utxoiq::domain
