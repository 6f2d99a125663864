// See metric_point_batcher.hpp.
#include "store/metric_point_batcher.hpp"

#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pg/errors.hpp"

namespace utxoiq::store {

namespace {

// One point waiting for its batch.
struct PendingPoint : pg::BatchQueue::Item {
  explicit PendingPoint(domain::MetricRecord r) : point(std::move(r)) {}
  domain::MetricRecord point;
};

PendingPoint& pending(const std::shared_ptr<pg::BatchQueue::Item>& item) {
  return static_cast<PendingPoint&>(*item);  // the queue holds only what write() submits
}

// Errors of the points rather than of the database (see the header).
bool worth_writing_alone(const std::string& sqlstate) {
  return sqlstate.starts_with("22") || sqlstate.starts_with("23") || sqlstate.starts_with("40");
}

// Writes the batch's points together, or one by one when a point fails the batch; sets each
// item's error when its point was not written. Never throws.
Task<void> write_batch(const MetricPointBatcher::WritePoints& write,
                       const pg::BatchQueue::Batch& batch) {
  std::vector<domain::MetricRecord> points;
  points.reserve(batch.size());
  for (const auto& item : batch) points.push_back(pending(item).point);
  bool alone = false;
  try {
    co_await write(points);
    co_return;
  } catch (const pg::QueryError& e) {
    alone = batch.size() > 1 && worth_writing_alone(e.sqlstate());
    if (!alone) {
      for (const auto& item : batch) item->error = std::current_exception();
    }
  } catch (...) {
    for (const auto& item : batch) item->error = std::current_exception();
  }
  if (!alone) co_return;
  for (const auto& item : batch) {
    try {
      co_await write(std::span<const domain::MetricRecord>(&pending(item).point, 1));
    } catch (...) {
      item->error = std::current_exception();
    }
  }
}

}  // namespace

MetricPointBatcher::MetricPointBatcher(boost::asio::any_io_executor executor, WritePoints write,
                                       std::size_t max_batch)
    : queue_(executor, max_batch, [write = std::move(write)](const pg::BatchQueue::Batch& batch) {
        return write_batch(write, batch);
      }) {}

Task<WriteOutcome> MetricPointBatcher::write(domain::MetricRecord point) {
  co_await queue_.submit(std::make_shared<PendingPoint>(std::move(point)));
  WriteOutcome outcome;
  outcome.inserted = 1;
  co_return outcome;
}

}  // namespace utxoiq::store
