#pragma once
// The pure part of `partitions maintain`: reading the bounds of existing system_metrics
// partitions, naming day partitions, and deciding which days to create. One partition per UTC
// day, [00:00, next 00:00), named system_metrics_pYYYYMMDD.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/time.hpp"

namespace utxoiq::ops {

// The range of one partition; nullopt on a side means MINVALUE / MAXVALUE (unbounded).
struct PartitionBound {
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  bool operator==(const PartitionBound&) const = default;
};

// pg_get_expr(relpartbound) of a range partition of system_metrics, e.g.
// "FOR VALUES FROM ('2026-01-06 00:00:00+00') TO ('2026-01-07 00:00:00+00')". nullopt for
// "DEFAULT" and for anything it does not understand.
std::optional<PartitionBound> parse_partition_bound(std::string_view expression);

// "system_metrics_p20260106".
std::string day_partition_name(std::chrono::sys_days day);

struct PartitionPlan {
  // Days to create a partition for, ascending, no duplicates.
  std::vector<std::chrono::sys_days> create;
  // Days that needed a partition but overlap part of an existing one (not made by us): they are
  // left alone and reported.
  std::vector<std::chrono::sys_days> blocked;
};

// The days from `today` to today + days_ahead (inclusive), plus `default_days` (days that have
// rows in the DEFAULT partition), minus the days an existing partition already covers entirely.
PartitionPlan plan_partitions(const std::vector<PartitionBound>& existing,
                              std::chrono::sys_days today, int days_ahead,
                              const std::vector<std::chrono::sys_days>& default_days);

}  // namespace utxoiq::ops
