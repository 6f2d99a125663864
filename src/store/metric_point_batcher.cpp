// See metric_point_batcher.hpp.
#include "store/metric_point_batcher.hpp"

#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/internal/batch_or_each.hpp"

namespace utxoiq::store {

namespace {

// One point waiting for its batch.
struct PendingPoint : pg::BatchQueue::Item {
  explicit PendingPoint(domain::MetricRecord r) : point(std::move(r)) {}
  domain::MetricRecord point;
};

// Writes the batch's points together, or one by one when a point fails the batch (the rule of
// internal/batch_or_each.hpp); sets each item's error when its point was not written.
Task<void> write_batch(const MetricPointBatcher::WritePoints& write,
                       const pg::BatchQueue::Batch& batch) {
  std::vector<domain::MetricRecord> points;
  points.reserve(batch.size());
  for (const auto& item : batch) points.push_back(pg::item_as<PendingPoint>(item).point);
  co_await detail::write_batch_or_each(
      batch, [&write, &points]() -> Task<void> { co_await write(points); },
      [&write](const detail::BatchItem& item) -> Task<void> {
        co_await write(
            std::span<const domain::MetricRecord>(&pg::item_as<PendingPoint>(item).point, 1));
      });
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
