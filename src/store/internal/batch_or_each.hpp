#pragma once
// INTERNAL to src/store: the one failure rule of the write batchers (feedback_rate_batcher,
// metric_point_batcher). A batch is written together. When that fails for a reason of its rows
// (SQLSTATE class 22 data exception, 23 integrity violation) or loses a deadlock or serialization
// failure (40), and it held more than one item, each item is written alone and gets its own
// answer or error: one bad row must not fail its neighbours. Any other failure (the database
// unavailable, a bug) is every item's error. Never throws.
#include <functional>
#include <memory>

#include "pg/batch_queue.hpp"
#include "util/task.hpp"

namespace utxoiq::store::detail {

using BatchItem = std::shared_ptr<pg::BatchQueue::Item>;

// `together` writes the whole batch and fills every item's answer; `alone` writes one item and
// fills its answer. Either throws to fail.
Task<void> write_batch_or_each(const pg::BatchQueue::Batch& batch,
                               std::function<Task<void>()> together,
                               std::function<Task<void>(const BatchItem&)> alone);

}  // namespace utxoiq::store::detail
