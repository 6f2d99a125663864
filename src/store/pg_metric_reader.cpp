// SQL of the metric reads (see pg_metric_reader.hpp).
#include "store/pg_metric_reader.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cassert>
#include <cstdint>
#include <string>
#include <utility>

#include "pg/pool.hpp"
#include "store/internal/aggregate_plan.hpp"
#include "store/internal/keyset_page.hpp"
#include "store/internal/query_builder.hpp"
#include "store/internal/sql_values.hpp"
#include "store/statement_tables.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::store {

namespace {

// One SQL text per shape (with or without metric_type, first page or after a cursor; see
// query_builder.hpp), so the series query is an index range scan on
// (service_name, metric_type, "timestamp"). The lower bound is the effective start: the range
// start, or the cursor's time when that is later, so the keyset condition narrows the scan too.
constexpr std::string_view kRangeSelect =
    R"(SELECT id, service_name, metric_type, metric_value, unit, "timestamp", metadata
FROM system_metrics)";
constexpr KeysetOrder kRangeOrder{R"("timestamp")", false, domain::CursorKind::metrics};

// Whole hours from the rollups, the partial edge hours from raw rows, all bucketed by
// date_trunc in UTC ('hour', 'day' or 'week': ISO weeks, starting on Monday).
constexpr std::string_view kAggregateText = R"sql(
WITH parts AS (
  SELECT h.bucket_start AS at, h.count, h.sum, h.min, h.max
  FROM system_metrics_hourly h
  WHERE h.service_name = $1 AND h.metric_type = $2
    AND h.bucket_start >= $4 AND h.bucket_start < $5
  UNION ALL
  SELECT m."timestamp", 1, m.metric_value, m.metric_value, m.metric_value
  FROM system_metrics m
  WHERE m.service_name = $1 AND m.metric_type = $2
    AND m."timestamp" >= $3 AND m."timestamp" < $4
  UNION ALL
  SELECT m."timestamp", 1, m.metric_value, m.metric_value, m.metric_value
  FROM system_metrics m
  WHERE m.service_name = $1 AND m.metric_type = $2
    AND m."timestamp" >= $5 AND m."timestamp" < $6
)
SELECT date_trunc($7, at, 'UTC') AS bucket_start, sum(count)::bigint AS count, sum(sum) AS sum,
       min(min) AS min, max(max) AS max
FROM parts
GROUP BY 1
ORDER BY 1)sql";

// A keyset page of the series catalogue: the row comparison after the previous page's last key
// and the ORDER BY are both served by the primary key (service_name, metric_type), so a page
// reads limit + 1 index entries wherever it starts (no OFFSET, which would read every skipped
// row). Both sides compare in the columns' collation, so the order and the condition agree.
constexpr std::string_view kSeriesFirstText = R"sql(
SELECT service_name, metric_type, unit, last_timestamp
FROM system_metrics_series
ORDER BY service_name, metric_type
LIMIT $1)sql";
constexpr std::string_view kSeriesAfterText = R"sql(
SELECT service_name, metric_type, unit, last_timestamp
FROM system_metrics_series
WHERE (service_name, metric_type) > ($1, $2)
ORDER BY service_name, metric_type
LIMIT $3)sql";

constexpr auto kRead = pg::StatementAccess::read;
// SQL built at run time from kRangeSelect (query_builder.hpp).
constexpr pg::TaggedSql kRange{{"metrics", "range", kRead}, kRangeSelect};
constexpr pg::TaggedSql kAggregateSql{{"metrics", "aggregate", kRead}, kAggregateText};
constexpr pg::TaggedSql kSeriesFirst{{"metrics", "series", kRead}, kSeriesFirstText};
constexpr pg::TaggedSql kSeriesAfter{{"metrics", "series", kRead}, kSeriesAfterText};
constexpr pg::TaggedSql kTable[] = {kRange, kAggregateSql, kSeriesFirst, kSeriesAfter};

domain::MetricRecord read_record(const pg::Result& result, int row) {
  domain::MetricRecord record;
  record.id = row_uuid(result, row, 0);
  auto& m = record.metric;
  m.service_name = std::string(result.text(row, 1));
  m.metric_type = std::string(result.text(row, 2));
  m.metric_value = result.float64(row, 3);
  m.unit = std::string(result.text(row, 4));
  m.timestamp = row_time(result, row, 5);
  if (const auto metadata = result.optional_text(row, 6)) {
    m.metadata = boost::json::parse(*metadata).as_object();
  }
  return record;
}

}  // namespace

std::span<const pg::TaggedSql> metric_read_statements() {
  return kTable;
}

Task<MetricPage> PgMetricReader::range(const domain::MetricRangeQuery& query) {
  const auto& after = query.page.after;
  const Timestamp from = after ? std::max(query.start, after->at) : query.start;
  MetricPage page;
  if (from >= query.end) co_return page;
  QueryBuilder q(kRangeSelect);
  q.where("service_name = " + q.bind(query.service_name));
  q.where(R"("timestamp" >= )" + q.bind(sql_time(from)));
  q.where(R"("timestamp" < )" + q.bind(sql_time(query.end)));
  if (query.metric_type) q.where("metric_type = " + q.bind(*query.metric_type));
  add_keyset_page(q, kRangeOrder, query.page);
  const pg::Result result = co_await pool_.execute(q.sql(), q.params(), kRange.tag);
  page.metrics = take_page<domain::MetricRecord>(
      result, query.page, kRangeOrder, read_record,
      [](const domain::MetricRecord& r) { return std::pair(r.metric.timestamp, r.id); },
      &page.next);
  co_return page;
}

Task<std::vector<domain::MetricBucket>> PgMetricReader::aggregate(
    const domain::MetricAggregateQuery& query) {
  const AggregatePlan plan = plan_aggregate(query.start, query.end);
  auto params = pg::params(query.service_name, query.metric_type, format_rfc3339(plan.start),
                           format_rfc3339(plan.whole_start), format_rfc3339(plan.whole_end),
                           format_rfc3339(plan.end), domain::to_string(query.interval));
  const auto result = co_await pool_.execute(kAggregateSql, std::move(params));
  std::vector<domain::MetricBucket> buckets;
  buckets.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    domain::MetricBucket bucket;
    bucket.bucket_start = row_time(result, row, 0);
    bucket.count = result.int64(row, 1);
    bucket.sum = result.float64(row, 2);
    bucket.min = result.float64(row, 3);
    bucket.max = result.float64(row, 4);
    bucket.avg = bucket.sum / static_cast<double>(bucket.count);
    buckets.push_back(bucket);
  }
  co_return buckets;
}

Task<MetricSeriesPage> PgMetricReader::series(const domain::MetricSeriesQuery& query) {
  assert(query.limit > 0);
  // One row more than the page: whether it comes tells whether another page follows.
  const std::int64_t fetch = query.limit + 1;
  const auto& after = query.after;
  const pg::TaggedSql& statement = after ? kSeriesAfter : kSeriesFirst;
  pg::Params params =
      after ? pg::params(after->service_name, after->metric_type, fetch) : pg::params(fetch);
  const pg::Result result = co_await pool_.execute(statement, std::move(params));
  MetricSeriesPage page;
  const int shown = static_cast<int>(std::min<std::int64_t>(result.rows(), query.limit));
  page.series.reserve(static_cast<std::size_t>(shown));
  for (int row = 0; row < shown; ++row) {
    page.series.push_back({std::string(result.text(row, 0)), std::string(result.text(row, 1)),
                           std::string(result.text(row, 2)), row_time(result, row, 3)});
  }
  if (result.rows() > shown && !page.series.empty()) {
    const auto& last = page.series.back();
    page.next = domain::SeriesCursor{last.service_name, last.metric_type};
  }
  co_return page;
}

}  // namespace utxoiq::store
