#pragma once
// Groups the single-insight statistics reads (the cache misses of GET /feedback/stats) into
// batches: the reads that arrive while a batch is being read (or in the same event-loop turn as
// the first) go out together as ONE `... WHERE insight_id = ANY($1)` statement. Why: a miss is
// cheap for PostgreSQL but each one paid a pool lease, a round trip and a backend woken on its
// own; from a cold cache, or after writes, misses come in crowds (bench/feedback_miss.lua) and
// queued behind one another for the pool's connections. A batch pays those once.
//
// Rules kept from one statement per read:
//  - each read gets its own insight's statistics (zeros for one nobody rated);
//  - each read goes where its own request's read could go (pg/read_origin.hpp): the batch is split
//    by origin, so a read after its key's write never lands on a replica that lacks the write;
//  - a failure (the database unavailable) fails the reads of that origin's statement only.
// One batch in flight at a time per instance (pg/batch_queue.hpp); at most max_batch reads per
// statement. Lives on the pool's single executor (no locks), like the pool.
#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "domain/feedback.hpp"
#include "pg/batch_queue.hpp"
#include "pg/read_origin.hpp"
#include "util/task.hpp"

namespace utxoiq::store {

class FeedbackStatsBatcher {
 public:
  static constexpr std::size_t kDefaultMaxBatch = 256;

  // Reads the statistics of `insight_ids` for `origin`: one entry per id, in their order.
  using ReadMany = std::function<Task<std::vector<domain::FeedbackStats>>(
      pg::ReadOrigin origin, std::vector<std::string> insight_ids)>;

  FeedbackStatsBatcher(boost::asio::any_io_executor executor, ReadMany read,
                       std::size_t max_batch = kDefaultMaxBatch);

  // The statistics of one insight, read with the others of its batch, where a read by `origin`
  // may go (the caller passes pg::current_read_origin() of its request).
  Task<domain::FeedbackStats> stats(std::string insight_id, pg::ReadOrigin origin);

 private:
  pg::BatchQueue queue_;
};

}  // namespace utxoiq::store
