// Splitting an aggregate range between rollups and raw rows (see aggregate_plan.hpp).
#include "store/internal/aggregate_plan.hpp"

#include <chrono>

namespace utxoiq::store {

AggregatePlan plan_aggregate(Timestamp start, Timestamp end) {
  using std::chrono::hours;
  const Timestamp first_whole = std::chrono::ceil<hours>(start);
  const Timestamp last_whole = std::chrono::floor<hours>(end);
  if (first_whole >= last_whole) {
    // No whole hour inside: every point comes from the raw rows.
    return {start, end, end, end};
  }
  return {start, first_whole, last_whole, end};
}

}  // namespace utxoiq::store
