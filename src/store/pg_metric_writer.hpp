#pragma once
// MetricWriter on PostgreSQL. One transaction per write:
//
//   [BEGIN, claim key]          one round trip (the claim only with an Idempotency-Key)
//   COPY system_metrics         the points (batches); a single point is an INSERT instead
//   [rollups, series, COMMIT]   one round trip: the hourly rollups and the series catalogue
//                               upserted from arrays computed in C++ (metric_rollups.hpp)
//
// A single point without an Idempotency-Key waits for the points that arrive with it and is
// written with them in one transaction (metric_point_batcher.hpp): PostgreSQL's cost per
// transaction, not per point, limited single-point writes.
//
// The shared rollup/series rows are upserted last, right before COMMIT, so concurrent writers
// of the same series hold their locks for one round trip only. Points for a time no partition
// covers are still stored (DEFAULT partition), and reported: a warning line and the counter
// utxoiq_metrics_default_partition_rows_total. The PartitionCoverage (refreshed by each
// maintenance pass) only says when to look; the count is asked in the same transaction, so a
// partition made meanwhile elsewhere (CLI, another instance) causes no false report.
#include <vector>

#include "store/metric_point_batcher.hpp"
#include "store/metric_store.hpp"
#include "store/partition_coverage.hpp"

namespace utxoiq::pg {
class Pool;
}

namespace utxoiq::store {

class PgMetricWriter final : public MetricWriter {
 public:
  // `coverage` is kept up to date by the partition maintenance and must outlive the writer.
  PgMetricWriter(pg::Pool& pool, const PartitionCoverage& coverage);

  Task<WriteOutcome> insert(std::span<const domain::MetricRecord> records,
                            const std::optional<IdempotencyClaim>& claim) override;
  void add_write_listener(MetricWriteListener listener) { listeners_.add(std::move(listener)); }

 private:
  // One transaction: the claim (if any), the points, the rollups and series, COMMIT.
  Task<WriteOutcome> write_together(std::span<const domain::MetricRecord> records,
                                    const std::optional<IdempotencyClaim>& claim);
  // Counters and the DEFAULT-partition report of a committed write.
  void after_commit(std::span<const domain::MetricRecord> records, std::int64_t in_default);

  pg::Pool& pool_;
  const PartitionCoverage& coverage_;
  WriteListeners<std::vector<SeriesWrite>> listeners_{"metrics"};
  MetricPointBatcher points_;
};

}  // namespace utxoiq::store
