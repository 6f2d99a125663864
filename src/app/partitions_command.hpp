#pragma once
// `utxoiq-store partitions maintain [--days-ahead N]`: creates the day partitions of
// system_metrics for today and the next N days and moves rows out of the DEFAULT partition
// (ops/partitions.hpp); prints what it did, one line per change.
#include <string>

#include "app/config.hpp"

namespace utxoiq::app {

struct PartitionsArgs {
  DatabaseOptions database;
  std::string action;  // maintain
  int days_ahead = 7;
};

int run_partitions(const PartitionsArgs& args);

}  // namespace utxoiq::app
