#pragma once
// Groups single metric points (POST /monitoring/metrics of one point, without an Idempotency-Key)
// into batches: the points that arrive while a batch is being written (or in the same event-loop
// turn as the first) go out together as ONE write of many points, which is one COPY and one
// transaction with the hourly rollups and the series catalogue upserted once (pg_metric_writer).
// Why: each point paid a transaction of its own (BEGIN, INSERT, two upserts, COMMIT), and
// PostgreSQL's CPU per statement and per commit, not the service, limited single-point writes; a
// batch pays them once. The same rules as the ratings' batcher (feedback_rate_batcher.hpp):
//  - a request is answered only after the transaction holding its point committed, so no
//    acknowledged point can be lost;
//  - one bad point fails only its own request: a batch that fails for a reason of its data
//    (SQLSTATE class 22 or 23) or loses a deadlock (class 40) is written again point by point;
//  - a database that is unavailable fails every request of the batch with that error (503).
// One batch in flight at a time per instance, at most max_batch points per write.
#include <cstddef>
#include <functional>
#include <span>

#include "domain/metric.hpp"
#include "pg/batch_queue.hpp"
#include "store/metric_store.hpp"
#include "util/task.hpp"

namespace utxoiq::store {

class MetricPointBatcher {
 public:
  static constexpr std::size_t kDefaultMaxBatch = 256;

  // Writes points in one transaction (PgMetricWriter's write without a claim).
  using WritePoints = std::function<Task<WriteOutcome>(std::span<const domain::MetricRecord>)>;

  MetricPointBatcher(boost::asio::any_io_executor executor, WritePoints write,
                     std::size_t max_batch = kDefaultMaxBatch);

  // Once the batch holding `point` committed: {inserted: 1}.
  Task<WriteOutcome> write(domain::MetricRecord point);

 private:
  pg::BatchQueue queue_;
};

}  // namespace utxoiq::store
