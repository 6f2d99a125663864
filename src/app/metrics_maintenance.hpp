#pragma once
// The service's upkeep of the metric tables, at start and then every `interval` (hourly):
//  - partitions: ops::maintain_metric_partitions (day partitions ahead, rows out of DEFAULT).
//    It is blocking (pg::BlockingConnection, DDL under an advisory lock), so it runs on a worker
//    thread of its own, never on the io thread; the result comes back to the io thread, where it
//    refreshes the PartitionCoverage the writer reports DEFAULT rows with.
//  - idempotency keys older than 24 h are deleted (through the async pool, on the io thread).
// A failed pass is logged and counted (utxoiq_metrics_maintenance_failures_total) and the next
// pass tries again; it never stops the service.
#include <chrono>
#include <memory>
#include <string>

#include "ops/partitions.hpp"
#include "util/live_url.hpp"
#include "util/task.hpp"

namespace boost::asio {
class io_context;
}
namespace utxoiq::pg {
class Pool;
}
namespace utxoiq::store {
class PartitionCoverage;
}

namespace utxoiq::app {

struct MetricsMaintenanceOptions {
  util::LiveUrl database_url;  // for the blocking connection of the partition work
  std::chrono::milliseconds interval = std::chrono::hours{1};
  ops::PartitionMaintenanceOptions partitions;
};

class MetricsMaintenance {
 public:
  // Everything must outlive this object; nothing runs before start().
  MetricsMaintenance(boost::asio::io_context& io, pg::Pool& pool,
                     store::PartitionCoverage& coverage, MetricsMaintenanceOptions options);
  ~MetricsMaintenance();  // joins the worker thread
  MetricsMaintenance(const MetricsMaintenance&) = delete;
  MetricsMaintenance& operator=(const MetricsMaintenance&) = delete;

  // Runs the first pass (so partitions exist before the service takes writes), then keeps a
  // timer for the next ones. On the io thread.
  Task<void> start();
  // Cancels the timer and waits for a pass in progress to end. On the io thread.
  Task<void> stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace utxoiq::app
