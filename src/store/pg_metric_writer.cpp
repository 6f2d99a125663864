// The metric write transaction (see pg_metric_writer.hpp).
#include "store/pg_metric_writer.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <exception>

#include "obs/logging.hpp"
#include "obs/metrics.hpp"
#include "pg/pool.hpp"
#include "pg/transaction.hpp"
#include "store/idempotency_keys.hpp"
#include "store/internal/metric_copy_text.hpp"
#include "store/internal/metric_rollups.hpp"
#include "store/statement_tables.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::store {

namespace {

const std::string kCopyText =
    "COPY system_metrics " + std::string(kMetricCopyColumns) + " FROM STDIN";

constexpr std::string_view kInsertOneText = R"sql(
INSERT INTO system_metrics (id, service_name, metric_type, metric_value, unit, "timestamp", metadata)
VALUES ($1, $2, $3, $4, $5, $6, $7))sql";

// ORDER BY ord keeps the lock order of the sorted arrays (metric_rollups.hpp).
constexpr std::string_view kUpsertRollupsText = R"sql(
INSERT INTO system_metrics_hourly AS h
  (service_name, metric_type, bucket_start, count, sum, min, max)
SELECT r.service_name, r.metric_type, r.bucket_start, r.count, r.sum, r.min, r.max
FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::bigint[], $5::float8[],
            $6::float8[], $7::float8[])
     WITH ORDINALITY AS r(service_name, metric_type, bucket_start, count, sum, min, max, ord)
ORDER BY r.ord
ON CONFLICT (service_name, metric_type, bucket_start) DO UPDATE
  SET count = h.count + EXCLUDED.count, sum = h.sum + EXCLUDED.sum,
      min = least(h.min, EXCLUDED.min), max = greatest(h.max, EXCLUDED.max))sql";

// Only a newer point moves last_timestamp (GREATEST) and with it the unit; an older batch leaves
// the row untouched, which also spares a dead tuple per write.
constexpr std::string_view kUpsertSeriesText = R"sql(
INSERT INTO system_metrics_series AS s (service_name, metric_type, unit, last_timestamp)
SELECT r.service_name, r.metric_type, r.unit, r.last_timestamp
FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[])
     WITH ORDINALITY AS r(service_name, metric_type, unit, last_timestamp, ord)
ORDER BY r.ord
ON CONFLICT (service_name, metric_type) DO UPDATE
  SET unit = EXCLUDED.unit, last_timestamp = GREATEST(s.last_timestamp, EXCLUDED.last_timestamp)
  WHERE EXCLUDED.last_timestamp > s.last_timestamp
     OR (EXCLUDED.last_timestamp = s.last_timestamp AND EXCLUDED.unit <> s.unit))sql";

// How many of the given points are in the DEFAULT partition: asked only when the partition
// coverage the service knows (it may be behind another instance's or the CLI's maintenance)
// says some points have no partition. The pkey index of each partition finds them by
// ("timestamp", id); to_regclass makes a missing DEFAULT partition count as none.
constexpr std::string_view kCountInDefaultText = R"sql(
SELECT count(*) FROM system_metrics
WHERE "timestamp" >= $1 AND "timestamp" <= $2 AND id = ANY($3::uuid[])
  AND tableoid = to_regclass('system_metrics_default'))sql";

// All of them run in the one transaction of insert().
constexpr auto kWrite = pg::StatementAccess::write;
const pg::TaggedSql kCopySql{{"metrics", "insert", kWrite}, kCopyText};
constexpr pg::TaggedSql kInsertOneSql{{"metrics", "insert", kWrite}, kInsertOneText};
constexpr pg::TaggedSql kUpsertRollupsSql{{"metrics", "insert", kWrite}, kUpsertRollupsText};
constexpr pg::TaggedSql kUpsertSeriesSql{{"metrics", "insert", kWrite}, kUpsertSeriesText};
// A read inside the write transaction (it counts what this transaction just wrote).
constexpr pg::TaggedSql kCountInDefaultSql{{"metrics", "insert", pg::StatementAccess::read},
                                           kCountInDefaultText};
const pg::TaggedSql kTable[] = {kCopySql, kInsertOneSql, kUpsertRollupsSql, kUpsertSeriesSql,
                                kCountInDefaultSql};

pg::Statement count_in_default_statement(std::span<const domain::MetricRecord> records,
                                         const PartitionCoverage& coverage) {
  std::vector<std::string> ids;
  Timestamp first = kMaxTimestamp;
  Timestamp last = kMinTimestamp;
  for (const auto& record : records) {
    if (coverage.covers(record.metric.timestamp)) continue;
    ids.push_back(record.id.to_string());
    first = std::min(first, record.metric.timestamp);
    last = std::max(last, record.metric.timestamp);
  }
  return {std::string(kCountInDefaultSql.sql),
          pg::params(format_rfc3339(first), format_rfc3339(last), ids), kCountInDefaultSql.tag};
}

std::string number_text(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

pg::Statement insert_one_statement(const domain::MetricRecord& record) {
  const auto& m = record.metric;
  pg::Param metadata;
  if (m.metadata) metadata = boost::json::serialize(*m.metadata);
  return {
      std::string(kInsertOneSql.sql),
      pg::params(record.id.to_string(), m.service_name, m.metric_type, number_text(m.metric_value),
                 m.unit, format_rfc3339(m.timestamp), std::move(metadata)),
      kInsertOneSql.tag};
}

pg::Statement upsert_rollups_statement(const std::vector<HourlyRollup>& rollups) {
  std::vector<std::string> services, types, hours, counts, sums, mins, maxs;
  for (auto* column : {&services, &types, &hours, &counts, &sums, &mins, &maxs}) {
    column->reserve(rollups.size());
  }
  for (const auto& r : rollups) {
    services.push_back(r.service_name);
    types.push_back(r.metric_type);
    hours.push_back(format_rfc3339(r.hour));
    counts.push_back(std::to_string(r.count));
    sums.push_back(number_text(r.sum));
    mins.push_back(number_text(r.min));
    maxs.push_back(number_text(r.max));
  }
  return {std::string(kUpsertRollupsSql.sql),
          pg::params(services, types, hours, counts, sums, mins, maxs), kUpsertRollupsSql.tag};
}

pg::Statement upsert_series_statement(const std::vector<SeriesLatest>& series) {
  std::vector<std::string> services, types, units, lasts;
  for (const auto& s : series) {
    services.push_back(s.service_name);
    types.push_back(s.metric_type);
    units.push_back(s.unit);
    lasts.push_back(format_rfc3339(s.last));
  }
  return {std::string(kUpsertSeriesSql.sql), pg::params(services, types, units, lasts),
          kUpsertSeriesSql.tag};
}

}  // namespace

std::span<const pg::TaggedSql> metric_write_statements() {
  return kTable;
}

PgMetricWriter::PgMetricWriter(pg::Pool& pool, const PartitionCoverage& coverage)
    : pool_(pool),
      coverage_(coverage),
      points_(pool.executor(), [this](std::span<const domain::MetricRecord> points) {
        // The claim by reference into a lazy coroutine: an object that outlives it, not a
        // temporary.
        static const std::optional<IdempotencyClaim> no_claim;
        return write_together(points, no_claim);
      }) {}

Task<WriteOutcome> PgMetricWriter::insert(std::span<const domain::MetricRecord> records,
                                          const std::optional<IdempotencyClaim>& claim) {
  if (records.size() == 1 && !claim) co_return co_await points_.write(records.front());
  co_return co_await write_together(records, claim);
}

Task<WriteOutcome> PgMetricWriter::write_together(std::span<const domain::MetricRecord> records,
                                                  const std::optional<IdempotencyClaim>& claim) {
  WriteOutcome outcome;
  if (records.empty()) co_return outcome;
  const auto rollups = compute_hourly_rollups(records);
  const auto series = compute_series_latest(records);
  std::vector<pg::Statement> finish;
  finish.reserve(5);
  const bool bulk = records.size() > 1;

  pg::Transaction tx = co_await pg::Transaction::begin(pool_);
  if (claim) {
    pg::Statement claiming = claim_idempotency_key_statement(*claim);
    const pg::Result claimed =
        co_await tx.execute(claiming.sql, std::move(claiming.params), claiming.tag);
    if (claimed.empty()) {
      outcome.replay = co_await read_stored_answer(tx, claim->scope, claim->key);
      co_await tx.rollback();
      co_return outcome;
    }
  }
  if (bulk) {
    std::string data;
    append_copy_text(records, data);
    co_await tx.copy_in(kCopySql.sql, data, kCopySql.tag);
  } else {
    // One point: an INSERT in the closing pipeline, so the whole write is one round trip.
    finish.push_back(insert_one_statement(records.front()));
  }
  finish.push_back(upsert_rollups_statement(rollups));
  finish.push_back(upsert_series_statement(series));
  const bool check_default = coverage_.count_uncovered(records) > 0;
  if (check_default) finish.push_back(count_in_default_statement(records, coverage_));
  const auto results = co_await tx.commit(std::move(finish));

  outcome.inserted = static_cast<std::int64_t>(records.size());
  const std::int64_t in_default = check_default ? results.back().int64(0, 0) : 0;
  after_commit(records, in_default);
  co_await listeners_.notify(to_series_writes(series));
  co_return outcome;
}

void PgMetricWriter::after_commit(std::span<const domain::MetricRecord> records,
                                  std::int64_t in_default) {
  static obs::Counter& inserted =
      obs::default_registry()
          .counter("utxoiq_metrics_inserted_rows_total", "Metric points written to system_metrics")
          .get();
  static obs::Counter& in_default_total =
      obs::default_registry()
          .counter("utxoiq_metrics_default_partition_rows_total",
                   "Metric points stored in the DEFAULT partition for want of a day partition")
          .get();
  inserted.inc(static_cast<double>(records.size()));
  if (in_default > 0) {
    in_default_total.inc(static_cast<double>(in_default));
    obs::log_warn("metric points stored in the DEFAULT partition: no partition covers their time",
                  {{"rows", in_default},
                   {"hint", "`utxoiq-store partitions maintain` moves them into day partitions"}});
  }
}

}  // namespace utxoiq::store
