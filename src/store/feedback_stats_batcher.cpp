// See feedback_stats_batcher.hpp.
#include "store/feedback_stats_batcher.hpp"

#include <cassert>
#include <exception>
#include <memory>
#include <optional>
#include <utility>

namespace utxoiq::store {

namespace {

// One read waiting for its batch: asked with the origin of its request.
struct PendingRead : pg::BatchQueue::Item {
  PendingRead(std::string id, pg::ReadOrigin o) : insight_id(std::move(id)), origin(std::move(o)) {}
  std::string insight_id;
  pg::ReadOrigin origin;
  std::optional<domain::FeedbackStats> result;
};

// The reads of `batch` made by `origin`, in batch order.
std::vector<PendingRead*> reads_of(const pg::BatchQueue::Batch& batch,
                                   const pg::ReadOrigin& origin) {
  std::vector<PendingRead*> group;
  for (const auto& item : batch) {
    PendingRead& read = pg::item_as<PendingRead>(item);
    if (read.origin == origin) group.push_back(&read);
  }
  return group;
}

// Reads one origin's share in one statement and answers it; a failure is that share's error.
Task<void> read_group(const FeedbackStatsBatcher::ReadMany& read, std::vector<PendingRead*> group) {
  assert(!group.empty());
  std::vector<std::string> ids;
  ids.reserve(group.size());
  for (const PendingRead* r : group) ids.push_back(r->insight_id);
  try {
    std::vector<domain::FeedbackStats> all = co_await read(group.front()->origin, std::move(ids));
    assert(all.size() == group.size());
    for (std::size_t i = 0; i < group.size(); ++i) group[i]->result = std::move(all[i]);
  } catch (...) {
    for (PendingRead* r : group) r->error = std::current_exception();
  }
}

// One statement per origin present in the batch (almost always one: the clients of an instance
// are few keys), in the order each origin first appears.
Task<void> read_batch(const FeedbackStatsBatcher::ReadMany& read,
                      const pg::BatchQueue::Batch& batch) {
  std::vector<const pg::ReadOrigin*> done;
  for (const auto& item : batch) {
    const pg::ReadOrigin& origin = pg::item_as<PendingRead>(item).origin;
    bool seen = false;
    for (const pg::ReadOrigin* o : done) seen = seen || *o == origin;
    if (seen) continue;
    done.push_back(&origin);
    co_await read_group(read, reads_of(batch, origin));
  }
}

}  // namespace

FeedbackStatsBatcher::FeedbackStatsBatcher(boost::asio::any_io_executor executor, ReadMany read,
                                           std::size_t max_batch)
    : queue_(std::move(executor), max_batch,
             [read = std::move(read)](const pg::BatchQueue::Batch& batch) {
               return read_batch(read, batch);
             }) {}

Task<domain::FeedbackStats> FeedbackStatsBatcher::stats(std::string insight_id,
                                                        pg::ReadOrigin origin) {
  auto item = std::make_shared<PendingRead>(std::move(insight_id), std::move(origin));
  co_await queue_.submit(item);
  assert(item->result);  // submit() rethrows the item's error; without one, it was answered
  co_return std::move(*item->result);
}

}  // namespace utxoiq::store
