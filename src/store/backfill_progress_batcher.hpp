#pragma once
// Groups the progress reports of POST /backfill/progress into batches: the reports that arrive
// while a batch is being written (or in the same event-loop turn as the first) go out together
// as ONE transaction that locks their jobs and writes them back with one UPDATE over arrays
// (internal/progress_batch.hpp says how a batch answers like its reports run one after another).
// Why: each report paid a transaction of its own (BEGIN with the row lock, UPDATE with COMMIT),
// and PostgreSQL's CPU per statement and per commit, not the service, limited progress reports
// (docs/benchmarks.md, "Backfill progress grouped"); a batch pays them once.
//
// The rules of the other write batchers (feedback_rate_batcher.hpp, metric_point_batcher.hpp):
//  - a report is answered only after the transaction holding its change committed, so no
//    acknowledged progress can be lost; a rejected report (404, 409, 422) is answered after the
//    batch too, with what it would have got alone;
//  - one bad report fails only its own request: a batch that fails for a reason of its data
//    (SQLSTATE class 22 or 23) or loses a deadlock (class 40) is written again report by report
//    (internal/batch_or_each.hpp);
//  - a database that is unavailable fails every request of the batch with that error (503).
// One batch in flight at a time per instance, at most max_batch reports per transaction. Lives on
// the pool's single executor (no locks), like the pool.
#include <cstddef>
#include <functional>
#include <vector>

#include "domain/backfill_job.hpp"
#include "domain/backfill_requests.hpp"
#include "pg/batch_queue.hpp"
#include "store/backfill_store.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {
class Pool;
}

namespace utxoiq::store {

class BackfillProgressBatcher {
 public:
  static constexpr std::size_t kDefaultMaxBatch = 256;

  // Awaited after each batch committed and before its requests are answered, with the jobs the
  // batch changed, each once and as stored (the repository's write listeners: one cache
  // invalidation per batch instead of one per report). It must not throw.
  using Committed = std::function<Task<void>(std::vector<domain::BackfillJob>)>;

  BackfillProgressBatcher(pg::Pool& pool, Committed committed,
                          std::size_t max_batch = kDefaultMaxBatch);

  // The report's outcome (the job after it, when applied), once its batch committed.
  Task<JobWrite> progress(domain::ProgressUpdate update);

 private:
  pg::BatchQueue queue_;
};

}  // namespace utxoiq::store
