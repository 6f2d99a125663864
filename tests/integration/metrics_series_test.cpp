// GET /api/v1/monitoring/metrics/series (api.md, "Metrics"; issue 10) against the real
// PostgreSQL: keyset pages of the series catalogue by (service_name, metric_type), `limit`
// default 50 and at most 500, an opaque `cursor`, `next_cursor` null on the last page; reading
// every page gives every series exactly once in order, series created between two fetches never
// cause a duplicate or a gap among the ones that existed, and a bad `limit` or `cursor` is a 422
// naming it.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/cursor.hpp"
#include "pg/blocking_connection.hpp"
#include "support/metric_fixtures.hpp"
#include "support/service_under_test.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono_literals;

const std::string kSeries = "/api/v1/monitoring/metrics/series";

using Key = std::pair<std::string, std::string>;  // (service_name, metric_type)

class MetricsSeries : public ::testing::Test {
 protected:
  struct Page {
    std::vector<Key> keys;
    std::string next_cursor;  // "" for null
  };

  Page get_page(const std::string& query) {
    const auto response = client_.get(kSeries + (query.empty() ? "" : "?" + query));
    EXPECT_EQ(response.status, 200) << query << ": " << response.body;
    Page page;
    if (response.status != 200) return page;
    const auto body = response.json().as_object();
    EXPECT_EQ(body.size(), 2u) << response.body;
    for (const auto& s : body.at("series").as_array()) {
      page.keys.emplace_back(s.at("service_name").as_string(), s.at("metric_type").as_string());
      EXPECT_EQ(s.at("unit").as_string(), "ms");
      EXPECT_EQ(s.at("last_timestamp").as_string(), iso(hour_));
    }
    if (!body.at("next_cursor").is_null()) {
      page.next_cursor = std::string(body.at("next_cursor").as_string());
      EXPECT_FALSE(page.next_cursor.empty());
    }
    return page;
  }

  // Writes series `first`..`last` - 1 of the numbering below, one point each, in batches.
  void write_series(int first, int last) {
    std::vector<Point> points;
    for (int i = first; i < last; ++i) points.push_back({key(i).first, key(i).second, 1.0, hour_});
    post_batch(client_, points);
  }

  // Series i: ten metric types per service, so pages also end in the middle of a service.
  static Key key(int i) {
    char service[16];
    std::snprintf(service, sizeof service, "svc-%04d", i / 10);
    return {service, "m" + std::to_string(i % 10)};
  }
  static std::vector<Key> keys(int count) {
    std::vector<Key> out;
    for (int i = 0; i < count; ++i) out.push_back(key(i));
    return out;
  }

  ServiceUnderTest service_;
  HttpClient client_ = service_.client();
  Timestamp hour_ = std::chrono::floor<std::chrono::hours>(now_utc() - 3h);
};

TEST_F(MetricsSeries, PagesGiveEverySeriesOnceInOrderAndTheLastPageHasNoCursor) {
  constexpr int kCount = 1234;
  write_series(0, kCount);
  std::vector<Key> seen;
  std::vector<std::size_t> page_sizes;
  std::string cursor;
  do {
    const auto page = get_page("limit=500" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_FALSE(page.keys.empty());
    page_sizes.push_back(page.keys.size());
    seen.insert(seen.end(), page.keys.begin(), page.keys.end());
    cursor = page.next_cursor;
    ASSERT_LE(page_sizes.size(), 10u) << "the pages do not end";
  } while (!cursor.empty());
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{500, 500, 234}));
  EXPECT_EQ(seen, keys(kCount));  // every series, once, in (service_name, metric_type) order
}

TEST_F(MetricsSeries, DefaultLimitIsFiftyAndAFullLastPageHasNoCursor) {
  write_series(0, 100);
  const auto first = get_page("");
  EXPECT_EQ(first.keys, keys(50));
  ASSERT_FALSE(first.next_cursor.empty());
  const auto last = get_page("cursor=" + first.next_cursor);
  const std::vector<Key> all = keys(100);
  EXPECT_EQ(last.keys, std::vector<Key>(all.begin() + 50, all.end()));
  EXPECT_EQ(last.next_cursor, "");  // no empty page after it
}

TEST_F(MetricsSeries, SeriesCreatedBetweenFetchesCauseNoDuplicateOrGap) {
  constexpr int kCount = 1234;
  write_series(0, kCount);
  const std::vector<Key> existing = keys(kCount);
  const auto first = get_page("limit=500");
  ASSERT_EQ(first.keys, std::vector<Key>(existing.begin(), existing.begin() + 500));

  // New series before the cursor (in the first page's range), right after it, in the middle of
  // the rest, and after the end; one of them takes over an existing series' service.
  const std::vector<Key> created{{"svc-0000", "a"},
                                 {first.keys.back().first, first.keys.back().second + "0"},
                                 {"svc-0080", "m55"},
                                 {"zzz", "last"}};
  std::vector<Point> points;
  for (const auto& [service, type] : created) points.push_back({service, type, 2.0, hour_});
  post_batch(client_, points);

  std::vector<Key> seen = first.keys;
  std::string cursor = first.next_cursor;
  while (!cursor.empty()) {
    const auto page = get_page("limit=500&cursor=" + cursor);
    seen.insert(seen.end(), page.keys.begin(), page.keys.end());
    cursor = page.next_cursor;
  }
  // Strictly increasing: no series twice, every one in order.
  EXPECT_TRUE(std::adjacent_find(seen.begin(), seen.end(), [](const Key& a, const Key& b) {
                return !(a < b);
              }) == seen.end());
  // Every series that existed before the first fetch, and the new ones after the first page.
  std::vector<Key> expected = existing;
  for (std::size_t i = 1; i < created.size(); ++i) expected.push_back(created[i]);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(seen, expected);
}

TEST_F(MetricsSeries, AnEmptyCatalogueIsOneLastPage) {
  const auto response = client_.get(kSeries);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"series":[],"next_cursor":null})");
}

// A row written into the catalogue by hand (psql, a restore of another system's data) may hold
// names the API refuses; it is listed like any other, and a page that ends on it leads on.
TEST_F(MetricsSeries, APageEndingOnAHandWrittenNameTheApiRefusesLeadsOn) {
  write_series(0, 3);
  // After every svc-* key in any collation, so the expected order needs no collation rules.
  const Key odd{"zz caf\u00e9/\u20ac", "m0 %"};
  pg::BlockingConnection db{service_.database_url()};
  db.exec(
      "INSERT INTO system_metrics_series (service_name, metric_type, unit, last_timestamp) "
      "VALUES ('" +
      odd.first + "', '" + odd.second + "', 'ms', '" + iso(hour_) + "')");
  std::vector<Key> seen;
  std::string cursor;
  for (int pages = 0; pages < 10; ++pages) {
    const auto page = get_page("limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor));
    seen.insert(seen.end(), page.keys.begin(), page.keys.end());
    cursor = page.next_cursor;
    if (cursor.empty()) break;
  }
  std::vector<Key> expected = keys(3);
  expected.push_back(odd);
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(cursor.empty()) << "the pages do not end";
}

TEST_F(MetricsSeries, ABadLimitOrCursorIsA422NamingIt) {
  write_series(0, 3);
  const std::string keyset =
      domain::encode_cursor(domain::KeysetCursor{domain::CursorKind::metrics, now_utc(), Uuid{}});
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
      {"limit=501", {"limit"}},
      {"limit=0", {"limit"}},
      {"limit=abc", {"limit"}},
      {"cursor=garbage", {"cursor"}},
      {"cursor=" + std::string(4096, 'A'), {"cursor"}},
      {"cursor=" + keyset, {"cursor"}},  // the cursor of GET /metrics
      {"limit=501&cursor=garbage", {"limit", "cursor"}},
  };
  for (const auto& [query, fields] : cases) {
    const auto response = client_.get(kSeries + "?" + query);
    EXPECT_EQ(response.status, 422) << query;
    EXPECT_EQ(response.header("Content-Type"), "application/problem+json") << query;
    EXPECT_EQ(response.error_fields(), fields) << query.substr(0, 80);
  }
  EXPECT_EQ(get_page("limit=500").keys, keys(3));
}

}  // namespace
}  // namespace utxoiq::testing
