#pragma once
// `utxoiq-store partitions maintain`, also run by the service on a timer: creates the day
// partitions of system_metrics ahead of time (today and the next `days_ahead` UTC days), so
// writes find their partition, and moves rows that landed in the DEFAULT partition (a day that
// had none) into the day partition it creates for them. Old partitions are left alone
// (retention drops them). Blocking (pg::BlockingConnection): run it from the CLI or off the
// service's io thread.
//
// Everything happens in ONE transaction under a transaction-level advisory lock, so two
// instances maintaining at once take turns and the second finds the work done. PostgreSQL refuses
// to create a partition whose range already has rows in DEFAULT; then the DEFAULT partition is
// detached, the partitions created, the rows moved and DEFAULT attached again, all in that
// transaction. A pass with nothing to create takes no table lock; one that creates takes the
// parent's ACCESS EXCLUSIVE lock first (as the DDL would) and plans again under it, so writes
// wait for it briefly (about once a day). lock_timeout bounds how long it waits for writers (and
// so how long writers queue behind it); a run that times out fails and the next one tries again.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ops/partition_plan.hpp"
#include "util/time.hpp"

namespace utxoiq::pg {
class BlockingConnection;
}

namespace utxoiq::ops {

// Key of pg_advisory_xact_lock for partition maintenance ("utxoiqPM" as bytes), distinct from the
// migrator's.
inline constexpr std::int64_t kPartitionLockKey = 0x7574786F6971504D;

struct PartitionMaintenanceOptions {
  int days_ahead = 7;
  std::optional<Timestamp> now;  // "today" is the UTC day of this; default: the clock
  std::chrono::milliseconds lock_timeout{3000};
};

// One partition of system_metrics; from/to nullopt for an unbounded side or the DEFAULT one.
struct MetricPartition {
  std::string name;
  bool is_default = false;
  PartitionBound bound;
};

struct PartitionMaintenanceReport {
  std::vector<std::string> created;            // names of the partitions made by this run
  std::int64_t moved_rows = 0;                 // rows moved out of DEFAULT
  std::vector<std::chrono::sys_days> blocked;  // see PartitionPlan::blocked
  std::vector<MetricPartition> partitions;     // every partition after the run
};

// Throws pg::BlockingConnectionError (the transaction is rolled back: nothing changes).
PartitionMaintenanceReport maintain_metric_partitions(pg::BlockingConnection& connection,
                                                      const PartitionMaintenanceOptions& options);
PartitionMaintenanceReport maintain_metric_partitions(const std::string& conninfo,
                                                      const PartitionMaintenanceOptions& options);

// Every partition of system_metrics, ordered by name.
std::vector<MetricPartition> list_metric_partitions(pg::BlockingConnection& connection);

}  // namespace utxoiq::ops
