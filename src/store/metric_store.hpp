#pragma once
// The small interfaces between the metric handlers and the metric tables (requirement 3), so a
// cache can be put in front of the reads (a decorator implementing MetricReader) and be told of
// every committed write (PgMetricWriter::add_write_listener) without the handlers changing.
//
//   store::PgMetricReader reader(pool);            // or a caching decorator around it
//   auto page = co_await reader.range(query);      // oldest first, keyset-paginated
//   auto buckets = co_await reader.aggregate(q);   // whole hours from rollups, edges from raw rows
//   auto series = co_await reader.series(q);       // by (service_name, metric_type),
//   keyset-paginated
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/buckets.hpp"
#include "domain/cursor.hpp"
#include "domain/metric.hpp"
#include "domain/metric_queries.hpp"
#include "store/write_listeners.hpp"
#include "util/task.hpp"
#include "util/time.hpp"

namespace utxoiq::store {

// One page of GET /metrics: the rows, and the cursor of the next page when there is one.
struct MetricPage {
  std::vector<domain::MetricRecord> metrics;
  std::optional<domain::KeysetCursor> next;
};

// One page of GET /metrics/series: the series, and the key of the last one when another page
// follows.
struct MetricSeriesPage {
  std::vector<domain::MetricSeries> series;
  std::optional<domain::SeriesCursor> next;
};

class MetricReader {
 public:
  virtual ~MetricReader() = default;
  // Points of one service (and metric type, when given) in [start, end), oldest first, ordered by
  // (timestamp, id), at most page.limit of them after page.after.
  virtual Task<MetricPage> range(const domain::MetricRangeQuery& query) = 0;
  // The non-empty buckets of the interval for the points in [start, end), oldest first.
  virtual Task<std::vector<domain::MetricBucket>> aggregate(
      const domain::MetricAggregateQuery& query) = 0;
  // The series ever written, ordered by (service_name, metric_type), at most query.limit of them
  // after query.after (a keyset page, never an OFFSET).
  virtual Task<MetricSeriesPage> series(const domain::MetricSeriesQuery& query) = 0;
};

// An Idempotency-Key write: the key, whose it is, the fingerprint of the request, and the answer
// to remember (known before the write: the ids are made by the service).
struct IdempotencyClaim {
  std::string scope;           // the caller's API key id, "" when the call carried none
  std::string key;             // the Idempotency-Key header, already validated
  std::string request_sha256;  // 64 lowercase hex characters
  int status = 201;
  std::string response_body;
};

// The answer remembered for a key, as first given.
struct StoredAnswer {
  std::string request_sha256;
  int status = 0;
  std::string response_body;
};

struct WriteOutcome {
  // Set when the key had been used before: nothing was written, this is the first request's.
  std::optional<StoredAnswer> replay;
  std::int64_t inserted = 0;
};

// What a committed write touched, for cache invalidation: each series with the time span of its
// points in this write.
struct SeriesWrite {
  std::string service_name;
  std::string metric_type;
  Timestamp first{};
  Timestamp last{};
};
// Told of every commit that wrote points (never of a replay), with the series written
// (write_listeners.hpp).
using MetricWriteListener = WriteListeners<std::vector<SeriesWrite>>::Listener;

class MetricWriter {
 public:
  virtual ~MetricWriter() = default;
  // Inserts every record or none, and keeps the hourly rollups and the series catalogue in step,
  // in one transaction. With a claim, the key is recorded in that same transaction; when the key
  // is already taken nothing is written and the outcome carries the stored answer instead.
  virtual Task<WriteOutcome> insert(std::span<const domain::MetricRecord> records,
                                    const std::optional<IdempotencyClaim>& claim) = 0;
};

}  // namespace utxoiq::store
