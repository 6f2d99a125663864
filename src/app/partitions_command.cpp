// `utxoiq-store partitions maintain`: runs ops::maintain_metric_partitions and prints its report.
#include "app/partitions_command.hpp"

#include <cstdio>
#include <iostream>

#include "app/command_failures.hpp"
#include "app/database_target.hpp"
#include "app/exit_codes.hpp"
#include "ops/partitions.hpp"
#include "pg/blocking_connection.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::app {
namespace {

std::string day_text(std::chrono::sys_days day) {
  return format_rfc3339(Timestamp{day}).substr(0, 10);
}

int maintain(const PartitionsArgs& args) {
  DatabaseTarget target(args.database);
  ops::PartitionMaintenanceOptions options;
  options.days_ahead = args.days_ahead;
  const auto report = ops::maintain_metric_partitions(target.url(), options);
  for (const auto& name : report.created) std::printf("created %s\n", name.c_str());
  if (report.moved_rows > 0) {
    std::printf("moved %lld rows out of the DEFAULT partition\n",
                static_cast<long long>(report.moved_rows));
  }
  for (const auto day : report.blocked) {
    std::printf("skipped %s: it overlaps part of an existing partition\n", day_text(day).c_str());
  }
  std::size_t days = 0;
  for (const auto& p : report.partitions) days += p.is_default ? 0 : 1;
  std::printf("%zu partitions of system_metrics (besides DEFAULT), %zu created now\n", days,
              report.created.size());
  return report.blocked.empty() ? kExitOk : kExitFailure;
}

}  // namespace

int run_partitions(const PartitionsArgs& args) {
  return run_reporting_failures("partitions " + args.action, kExitFailure, [&args] {
    if (args.action == "maintain") return maintain(args);
    std::cerr << "utxoiq-store: unknown partitions action " << args.action << "\n";
    return static_cast<int>(kExitUsage);
  });
}

}  // namespace utxoiq::app
