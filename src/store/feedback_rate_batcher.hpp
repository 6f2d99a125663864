#pragma once
// Groups the ratings of POST /feedback/rate into batches: the ratings that arrive while a batch is
// being written (or in the same event-loop turn as the first) go out together as ONE upsert over
// arrays, which is one statement and one transaction (internal/rate_batch.hpp says how a batch
// answers like its requests run one after another). Why: PostgreSQL's CPU per statement and per
// commit, not the service, limited writes (docs/benchmarks.md); a batch pays them once.
//
// Rules kept from one statement per request:
//  - a request is answered only after the statement holding its row has committed, so no
//    acknowledged write can be lost (the statement runs in autocommit);
//  - one bad row fails only its own request: when a batch fails for a reason of its data (SQLSTATE
//    class 22 or 23) or loses a deadlock against another instance's batch (class 40), its
//    requests are written again one by one and each gets its own answer or error;
//  - a database that is unavailable fails every request of the batch with that error (503).
// One batch is in flight at a time per instance (pg/batch_queue.hpp); at most max_batch requests
// per statement. Lives on the pool's single executor (no locks), like the pool.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "domain/feedback_requests.hpp"
#include "pg/batch_queue.hpp"
#include "store/feedback_store.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {
class Pool;
}

namespace utxoiq::store {

class FeedbackRateBatcher {
 public:
  static constexpr std::size_t kDefaultMaxBatch = 256;

  // Awaited after each batch committed and before its requests are answered, with the insights
  // the batch changed, each once (the repository's write listeners: one cache invalidation per
  // batch instead of one per rating). It must not throw.
  using Committed = std::function<Task<void>(std::vector<std::string>)>;

  FeedbackRateBatcher(pg::Pool& pool, Committed committed,
                      std::size_t max_batch = kDefaultMaxBatch);

  // The record after this rating, and whether the rating created it; once its batch committed.
  Task<FeedbackWrite> rate(domain::RateFeedback request);

 private:
  pg::BatchQueue queue_;
};

}  // namespace utxoiq::store
