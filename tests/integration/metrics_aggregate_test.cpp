// GET /api/v1/monitoring/metrics/aggregate (api.md, "Metrics"; requirement 3.4) against the real
// PostgreSQL. Every expectation is computed here from the points themselves: count, sum, avg,
// min and max of the points inside [start, end), in UTC hour / day / ISO-week (Monday) buckets,
// a point on a boundary in the bucket that starts there, empty buckets left out. The points sit
// on and around hour, day (= partition), and week boundaries; values are distinct powers of two,
// so a sum also tells exactly which points were counted. Ranges start and end off the hour, so
// the partial edge hours (read from raw rows) are checked as well as the whole hours (read from
// the hourly rollups).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ops/partitions.hpp"
#include "support/metric_fixtures.hpp"
#include "support/service_under_test.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const std::string kAggregate = "/api/v1/monitoring/metrics/aggregate";

struct Bucket {
  std::string start;
  std::int64_t count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  double avg = 0;
};

// The bucket start of `t`, computed independently of the service's code.
Timestamp bucket_of(Timestamp t, const std::string& interval) {
  if (interval == "hour") return floor<hours>(t);
  const sys_days day = floor<days>(t);
  if (interval == "day") return Timestamp{day};
  const unsigned from_monday = weekday{day}.iso_encoding() - 1;  // Monday 0 .. Sunday 6
  return Timestamp{day - days{from_monday}};
}

std::vector<Bucket> expected(const std::vector<Point>& points, const std::string& service,
                             const std::string& type, const std::string& interval, Timestamp start,
                             Timestamp end) {
  std::map<Timestamp, Bucket> buckets;
  for (const auto& p : points) {
    if (p.service_name != service || p.metric_type != type || p.at < start || p.at >= end) continue;
    const Timestamp b = bucket_of(p.at, interval);
    auto [it, fresh] = buckets.try_emplace(b);
    Bucket& bucket = it->second;
    if (fresh) {
      bucket.start = iso(b);
      bucket.min = bucket.max = p.value;
    }
    ++bucket.count;
    bucket.sum += p.value;
    bucket.min = std::min(bucket.min, p.value);
    bucket.max = std::max(bucket.max, p.value);
  }
  std::vector<Bucket> out;
  for (auto& [at, bucket] : buckets) {
    bucket.avg = bucket.sum / static_cast<double>(bucket.count);
    out.push_back(bucket);
  }
  return out;
}

class MetricsAggregate : public ::testing::Test {
 protected:
  MetricsAggregate() {
    // Monday 00:00 UTC three weeks back: every point below lies between 25 and 13 days ago.
    const Timestamp m = monday_weeks_ago(3);
    monday_ = m;
    const std::vector<Timestamp> times = {
        m - 24h - 30min,        // Saturday 23:30
        m - 70min,              // Sunday 22:50
        m - 40min,              // Sunday 23:20
        m - 1us,                // Sunday 23:59:59.999999: last instant of the week, day, hour
        m,                      // Monday 00:00 exactly: first of the next ones
        m + 1us,                //
        m + 20min,              //
        m + 1h - 1us,           // 00:59:59.999999
        m + 1h,                 // 01:00 exactly
        m + 1h + 30min,         //
        m + 24h,                // Tuesday 00:00
        m + 24h + 5h,           //
        m + days{7} - 1us,      // Sunday 23:59:59.999999
        m + days{7},            // next Monday 00:00
        m + days{7} + 10min,    //
        m + days{8} + 12h + 1s  // next Tuesday
    };
    double value = 1;
    for (const auto t : times) {
      points_.push_back({"api", "latency", value, t});
      value *= 2;
    }
    // Other series at the same times: never counted in api/latency, and negative so that a leak
    // would show in min as well as in sum.
    for (const auto t : times) {
      points_.push_back({"api", "errors", -1, t});
      points_.push_back({"web", "latency", -3, t});
    }
    post_batch(client_, points_);
  }

  std::vector<Bucket> fetch(const std::string& query) {
    const auto response = client_.get(kAggregate + "?" + query);
    EXPECT_EQ(response.status, 200) << query << ": " << response.body;
    std::vector<Bucket> out;
    if (response.status != 200) return out;
    const auto body = response.json();
    for (const auto& item : body.at("buckets").as_array()) {
      const auto& o = item.as_object();
      out.push_back({std::string(o.at("bucket_start").as_string()), o.at("count").as_int64(),
                     o.at("sum").to_number<double>(), o.at("min").to_number<double>(),
                     o.at("max").to_number<double>(), o.at("avg").to_number<double>()});
    }
    return out;
  }

  void expect_matches(const std::string& interval, Timestamp start, Timestamp end,
                      const std::string& service = "api", const std::string& type = "latency") {
    const auto want = expected(points_, service, type, interval, start, end);
    const auto got = fetch("service_name=" + service + "&metric_type=" + type +
                           "&interval=" + interval + "&start=" + iso(start) + "&end=" + iso(end));
    const std::string where = interval + " [" + iso(start) + ", " + iso(end) + ")";
    ASSERT_EQ(got.size(), want.size()) << where;
    for (std::size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].start, want[i].start) << where;
      EXPECT_EQ(got[i].count, want[i].count) << where << " " << want[i].start;
      EXPECT_EQ(got[i].sum, want[i].sum) << where << " " << want[i].start;
      EXPECT_EQ(got[i].min, want[i].min) << where << " " << want[i].start;
      EXPECT_EQ(got[i].max, want[i].max) << where << " " << want[i].start;
      EXPECT_DOUBLE_EQ(got[i].avg, want[i].avg) << where << " " << want[i].start;
    }
  }

  // Ranges whose edges fall on, just before and just after points and boundaries, and in the
  // middle of hours, so that every edge hour is partial in some of them.
  std::vector<std::pair<Timestamp, Timestamp>> ranges() const {
    const Timestamp m = monday_;
    return {
        {m - days{2}, m + days{10}},                 // everything, aligned to days
        {m - 50min, m + 1h + 45min},                 // partial hours at both edges
        {m - 40min, m + 1h},                         // starts on a point, ends on one (excluded)
        {m - 40min + 1us, m + 1h + 1us},             // just after those points
        {m - 1us, m + 1us},                          // two instants across the week boundary
        {m + 10min, m + 50min},                      // inside one hour: raw rows only
        {m - 23h - 15min, m + days{7} + 5min},       // partial edge hours, several days
        {m + 1h, m + 1h},                            // empty range
        {m - 24h - 30min, m + days{8} + 12h + 1s},   // first point included, last excluded
        {m + 30min, m + days{7} + 1h + 30min + 7s},  // odd offsets
    };
  }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
  Timestamp monday_{};
  std::vector<Point> points_;
};

TEST_F(MetricsAggregate, HourlyBucketsMatchThePointsInsideTheRange) {
  for (const auto& [start, end] : ranges()) expect_matches("hour", start, end);
}

TEST_F(MetricsAggregate, DailyBucketsMatchThePointsInsideTheRange) {
  for (const auto& [start, end] : ranges()) expect_matches("day", start, end);
}

TEST_F(MetricsAggregate, WeeklyBucketsStartOnMondayAndMatchThePointsInsideTheRange) {
  for (const auto& [start, end] : ranges()) expect_matches("week", start, end);
  // Spelled out once: the week before Monday holds the Saturday and Sunday points, the Monday
  // 00:00 point opens the next week.
  const auto weeks =
      fetch("service_name=api&metric_type=latency&interval=week&start=" + iso(monday_ - days{7}) +
            "&end=" + iso(monday_ + days{14}));
  ASSERT_EQ(weeks.size(), 3u);
  EXPECT_EQ(weeks[0].start, iso(monday_ - days{7}));
  EXPECT_EQ(weeks[0].count, 4);
  EXPECT_EQ(weeks[0].sum, 1 + 2 + 4 + 8);
  EXPECT_EQ(weeks[1].start, iso(monday_));
  EXPECT_EQ(weeks[1].count, 9);
  EXPECT_EQ(weeks[2].start, iso(monday_ + days{7}));
  EXPECT_EQ(weeks[2].count, 3);
}

TEST_F(MetricsAggregate, AnswersAreTheSameOnceRowsMovedFromDefaultIntoDayPartitions) {
  // The points are older than the service's first maintenance run, so they are in DEFAULT.
  const auto url = service_.database_url();
  ASSERT_EQ(sql_count(url, "SELECT count(*) FROM system_metrics_default"), 48);
  const auto report = ops::maintain_metric_partitions(url, {});
  EXPECT_EQ(report.moved_rows, 48);
  ASSERT_EQ(sql_count(url, "SELECT count(*) FROM system_metrics_default"), 0);
  // The boundary points are in the partitions of their own day.
  EXPECT_EQ(sql_value(url,
                      "SELECT tableoid::regclass::text FROM system_metrics WHERE "
                      "metric_type = 'latency' AND service_name = 'api' AND \"timestamp\" = '" +
                          iso(monday_ - 1us) + "'"),
            ops::day_partition_name(floor<days>(monday_ - 1us)));
  EXPECT_EQ(sql_value(url,
                      "SELECT tableoid::regclass::text FROM system_metrics WHERE "
                      "metric_type = 'latency' AND service_name = 'api' AND \"timestamp\" = '" +
                          iso(monday_) + "'"),
            ops::day_partition_name(floor<days>(monday_)));
  for (const char* interval : {"hour", "day", "week"}) {
    for (const auto& [start, end] : ranges()) expect_matches(interval, start, end);
  }
}

TEST_F(MetricsAggregate, WholeHoursAreReadFromTheRollupsAndPartialHoursFromTheRawRows) {
  const auto url = service_.database_url();
  // Remove the raw rows of the whole hour [00:00, 01:00) and of the partial hour 23:00 behind
  // the service's back: the rollups still hold the whole hour, the partial one is gone.
  sql_exec(url, "DELETE FROM system_metrics WHERE \"timestamp\" >= '" + iso(monday_ - 1h) +
                    "' AND \"timestamp\" < '" + iso(monday_ + 1h) + "'");
  const auto hours =
      fetch("service_name=api&metric_type=latency&interval=hour&start=" + iso(monday_ - 50min) +
            "&end=" + iso(monday_ + 1h + 45min));
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].start, iso(monday_));
  EXPECT_EQ(hours[0].count, 4);
  EXPECT_EQ(hours[0].sum, 16 + 32 + 64 + 128);
  EXPECT_EQ(hours[1].start, iso(monday_ + 1h));
  EXPECT_EQ(hours[1].sum, 256 + 512);
}

TEST_F(MetricsAggregate, DefaultRangesEndNowAndReachBack24Hours30DaysOr12Weeks) {
  const Timestamp now = now_utc();
  post_batch(client_, {{"fresh", "cpu", 1, now - 30min},
                       {"fresh", "cpu", 2, now - 25h},
                       {"fresh", "cpu", 4, now - days{29}},
                       {"fresh", "cpu", 8, now - days{31}},
                       {"fresh", "cpu", 16, now - days{83}},
                       {"fresh", "cpu", 32, now - days{85}}});
  const auto total = [&](const std::string& interval) {
    double sum = 0;
    for (const auto& b : fetch("service_name=fresh&metric_type=cpu&interval=" + interval)) {
      sum += b.sum;
    }
    return sum;
  };
  EXPECT_EQ(total("hour"), 1);
  EXPECT_EQ(total("day"), 1 + 2 + 4);
  EXPECT_EQ(total("week"), 1 + 2 + 4 + 8 + 16);
  // Only end given: the default length before it, [end - 30 days, end).
  const auto day =
      fetch("service_name=fresh&metric_type=cpu&interval=day&end=" + iso(now - days{2}));
  ASSERT_EQ(day.size(), 2u);
  EXPECT_EQ(day[0].sum, 8);
  EXPECT_EQ(day[1].sum, 4);
}

TEST_F(MetricsAggregate, AnUnknownSeriesHasNoBuckets) {
  const auto response =
      client_.get(kAggregate + "?service_name=api&metric_type=nothing&interval=day");
  ASSERT_EQ(response.status, 200);
  const auto body = response.json().as_object();
  EXPECT_EQ(body.at("service_name").as_string(), "api");
  EXPECT_EQ(body.at("metric_type").as_string(), "nothing");
  EXPECT_EQ(body.at("interval").as_string(), "day");
  EXPECT_TRUE(body.at("buckets").as_array().empty());
}

TEST_F(MetricsAggregate, InvalidParametersAreNamed) {
  const auto errors = [&](const std::string& query) {
    const auto response = client_.get(kAggregate + "?" + query);
    EXPECT_EQ(response.status, 422) << query;
    return response.error_fields();
  };
  EXPECT_EQ(errors(""), (std::vector<std::string>{"service_name", "metric_type", "interval"}));
  EXPECT_EQ(errors("service_name=a&metric_type=b&interval=month"),
            std::vector<std::string>{"interval"});
  EXPECT_EQ(errors("service_name=a&metric_type=b&interval=hour&start=" + iso(monday_ + 1h) +
                   "&end=" + iso(monday_)),
            std::vector<std::string>{"start"});
  EXPECT_EQ(errors("service_name=a&metric_type=b&interval=hour&end=2026-01-01"),
            std::vector<std::string>{"end"});
  EXPECT_EQ(errors("service_name=a&metric_type=b&interval=hour&interval=day"),
            std::vector<std::string>{"interval"});
}

}  // namespace
}  // namespace utxoiq::testing
