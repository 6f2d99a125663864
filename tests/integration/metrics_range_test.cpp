// GET /api/v1/monitoring/metrics (api.md, "Metrics"; requirement 3.3) against the real
// PostgreSQL: the points of one service (and metric type) in [start, end), oldest first, keyset
// pages by (timestamp, id) that neither repeat nor skip a row when rows are inserted between page
// fetches, the defaults of start and end, and every invalid parameter named.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "domain/cursor.hpp"
#include "support/metric_fixtures.hpp"
#include "support/service_under_test.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

const std::string kRange = "/api/v1/monitoring/metrics";

class MetricsRange : public ::testing::Test {
 protected:
  // The "timestamp" of every metric of a GET, in order, and its next_cursor ("" for null).
  struct Page {
    std::vector<std::string> times;
    std::vector<std::string> ids;
    std::string next_cursor;
  };
  Page get_page(const std::string& query) {
    const auto response = client_.get(kRange + "?" + query);
    EXPECT_EQ(response.status, 200) << query << ": " << response.body;
    Page page;
    if (response.status != 200) return page;
    const auto body = response.json().as_object();
    for (const auto& m : body.at("metrics").as_array()) {
      page.times.emplace_back(m.at("timestamp").as_string());
      page.ids.emplace_back(m.at("id").as_string());
    }
    if (!body.at("next_cursor").is_null()) {
      page.next_cursor = std::string(body.at("next_cursor").as_string());
    }
    return page;
  }
  std::vector<std::string> errors_of(const std::string& query) {
    const auto response = client_.get(kRange + "?" + query);
    EXPECT_EQ(response.status, 422) << query << ": " << response.body;
    return response.error_fields();
  }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
  Timestamp base_ = std::chrono::floor<std::chrono::hours>(now_utc() - 48h);
};

TEST_F(MetricsRange, ReturnsOneSeriesInRangeOldestFirstStartIncludedEndExcluded) {
  // Written newest first, so the answer's order is the server's doing.
  post_batch(client_, {{"api", "latency", 5, base_ + 50min},
                       {"api", "latency", 4, base_ + 40min},
                       {"api", "latency", 3, base_ + 30min},
                       {"api", "latency", 2, base_ + 20min},
                       {"api", "latency", 1, base_ + 10min},
                       {"api", "errors", 9, base_ + 30min},
                       {"web", "latency", 9, base_ + 30min}});
  const auto page = get_page("service_name=api&metric_type=latency&start=" + iso(base_ + 20min) +
                             "&end=" + iso(base_ + 50min));
  EXPECT_EQ(page.times,
            (std::vector<std::string>{iso(base_ + 20min), iso(base_ + 30min), iso(base_ + 40min)}));
  EXPECT_EQ(page.next_cursor, "");

  const auto response =
      client_.get(kRange + "?service_name=api&metric_type=latency&start=" + iso(base_ + 30min) +
                  "&end=" + iso(base_ + 31min));
  ASSERT_EQ(response.status, 200);
  const auto metric = response.json().at("metrics").as_array().at(0).as_object();
  EXPECT_EQ(metric.at("service_name").as_string(), "api");
  EXPECT_EQ(metric.at("metric_type").as_string(), "latency");
  EXPECT_EQ(metric.at("metric_value").as_double(), 3);
  EXPECT_EQ(metric.at("unit").as_string(), "ms");
  EXPECT_TRUE(metric.at("metadata").is_null());
  EXPECT_TRUE(Uuid::parse(metric.at("id").as_string()).has_value());
}

TEST_F(MetricsRange, WithoutMetricTypeEveryTypeOfTheServiceIsReturnedInTimeOrder) {
  post_batch(client_, {{"api", "latency", 1, base_ + 3min},
                       {"api", "errors", 2, base_ + 1min},
                       {"api", "cpu", 3, base_ + 2min},
                       {"web", "cpu", 4, base_ + 2min}});
  const auto page = get_page("service_name=api&start=" + iso(base_) + "&end=" + iso(base_ + 1h));
  EXPECT_EQ(page.times,
            (std::vector<std::string>{iso(base_ + 1min), iso(base_ + 2min), iso(base_ + 3min)}));
}

TEST_F(MetricsRange, PagesWalkEveryRowOnceIncludingTiesOnTheSameTimestamp) {
  std::vector<Point> points;
  for (int i = 0; i < 25; ++i) points.push_back({"api", "latency", 1.0 * i, base_ + (i / 3) * 1s});
  post_batch(client_, points);
  const std::string range =
      "service_name=api&metric_type=latency&start=" + iso(base_) + "&end=" + iso(base_ + 1h);
  std::vector<std::string> ids;
  std::vector<std::string> times;
  std::string cursor;
  int pages = 0;
  do {
    const auto page = get_page(range + "&limit=4" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ids.insert(ids.end(), page.ids.begin(), page.ids.end());
    times.insert(times.end(), page.times.begin(), page.times.end());
    EXPECT_EQ(page.ids.size(), page.next_cursor.empty() ? 1u : 4u);
    cursor = page.next_cursor;
    ASSERT_LT(++pages, 10);
  } while (!cursor.empty());
  EXPECT_EQ(pages, 7);
  ASSERT_EQ(ids.size(), 25u);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  std::vector<std::string> unique = ids;
  std::sort(unique.begin(), unique.end());
  EXPECT_EQ(std::unique(unique.begin(), unique.end()), unique.end());
  // The whole range in one page has the same rows in the same order.
  EXPECT_EQ(get_page(range).ids, ids);
}

TEST_F(MetricsRange, RowsInsertedBetweenPagesCauseNoDuplicateAndNoGap) {
  std::vector<Point> points;
  for (int i = 0; i < 10; ++i) points.push_back({"api", "cpu", 1.0 * i, base_ + i * 1min});
  post_batch(client_, points);
  const std::string range =
      "service_name=api&metric_type=cpu&start=" + iso(base_) + "&end=" + iso(base_ + 1h);
  const auto all_before = get_page(range).ids;
  ASSERT_EQ(all_before.size(), 10u);

  const auto first = get_page(range + "&limit=5");
  ASSERT_FALSE(first.next_cursor.empty());
  // Before and after the cursor, and exactly at its timestamp.
  post_batch(client_, {{"api", "cpu", 100, base_ + 30s},
                       {"api", "cpu", 101, base_ + 4min},
                       {"api", "cpu", 102, base_ + 7min + 30s}});
  std::vector<std::string> seen = first.ids;
  std::string cursor = first.next_cursor;
  while (!cursor.empty()) {
    const auto page = get_page(range + "&limit=5&cursor=" + cursor);
    seen.insert(seen.end(), page.ids.begin(), page.ids.end());
    cursor = page.next_cursor;
  }
  for (const auto& id : all_before) {
    EXPECT_EQ(std::count(seen.begin(), seen.end(), id), 1) << id;
  }
  // The 10, plus the two whose key comes after the cursor: 7:30, and 4:00 with an id made after
  // the cursor's (ids are time-ordered). 0:30 lies before the cursor and is not seen.
  EXPECT_EQ(seen.size(), 12u);
}

TEST_F(MetricsRange, EndDefaultsToNowAndStartToOneHourBeforeEnd) {
  const Timestamp now = now_utc();
  post_batch(
      client_,
      {{"api", "cpu", 1, now - 2h}, {"api", "cpu", 2, now - 30min}, {"api", "cpu", 3, now - 5s}});
  EXPECT_EQ(get_page("service_name=api").times,
            (std::vector<std::string>{iso(now - 30min), iso(now - 5s)}));
  // Only end given: the hour before it.
  EXPECT_EQ(get_page("service_name=api&end=" + iso(now - 1h)).times,
            (std::vector<std::string>{iso(now - 2h)}));
  // Only start given: up to now.
  EXPECT_EQ(get_page("service_name=api&start=" + iso(now - 3h)).times.size(), 3u);
}

TEST_F(MetricsRange, AnUnknownServiceIsAnEmptyPage) {
  const auto response = client_.get(kRange + "?service_name=nobody");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"metrics":[],"next_cursor":null})");
}

TEST_F(MetricsRange, InvalidParametersAreNamed) {
  EXPECT_EQ(errors_of(""), std::vector<std::string>{"service_name"});
  EXPECT_EQ(errors_of("service_name=bad%20name"), std::vector<std::string>{"service_name"});
  EXPECT_EQ(errors_of("service_name=a&metric_type=" + std::string(51, 't')),
            std::vector<std::string>{"metric_type"});
  EXPECT_EQ(errors_of("service_name=a&start=" + iso(base_ + 1h) + "&end=" + iso(base_)),
            std::vector<std::string>{"start"});
  EXPECT_EQ(errors_of("service_name=a&start=" + iso(base_ - 24h * 32) + "&end=" + iso(base_)),
            std::vector<std::string>{"start"});
  EXPECT_EQ(errors_of("service_name=a&start=2026-01-01T00:00:00"),
            std::vector<std::string>{"start"});
  EXPECT_EQ(errors_of("service_name=a&end=yesterday"), std::vector<std::string>{"end"});
  EXPECT_EQ(errors_of("service_name=a&limit=0"), std::vector<std::string>{"limit"});
  EXPECT_EQ(errors_of("service_name=a&limit=10001"), std::vector<std::string>{"limit"});
  EXPECT_EQ(errors_of("service_name=a&cursor=not-a-cursor"), std::vector<std::string>{"cursor"});
  // A cursor of another list is refused like a malformed one.
  const auto foreign = domain::encode_cursor(
      {domain::CursorKind::feedback, base_, *Uuid::parse("018f0000-0000-7000-8000-000000000000")});
  EXPECT_EQ(errors_of("service_name=a&cursor=" + foreign), std::vector<std::string>{"cursor"});
  EXPECT_EQ(errors_of("limit=x&start=y"),
            (std::vector<std::string>{"service_name", "start", "limit"}));
  // 31 days exactly and a limit of 10,000 are allowed.
  EXPECT_EQ(client_
                .get(kRange + "?service_name=a&limit=10000&start=" + iso(base_ - 24h * 31) +
                     "&end=" + iso(base_))
                .status,
            200);
}

}  // namespace
}  // namespace utxoiq::testing
