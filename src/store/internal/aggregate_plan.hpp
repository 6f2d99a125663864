#pragma once
// How an aggregate over [start, end) is split between the two sources that hold its points
// exactly (api.md: aggregates count only the points inside the range):
//
//   start      whole_start                      whole_end      end
//     |-- raw --|======= hourly rollups ==========|---- raw ----|
//
// The whole UTC hours inside the range come from system_metrics_hourly (a few rows per series
// and hour, whatever the point rate); the partial hours at either edge come from the raw rows,
// which are then at most two hours of one series, found by the (series, time) index. When no
// whole hour fits, the raw rows cover the entire range. Range edges are never clipped to hours.
#include "util/time.hpp"

namespace utxoiq::store {

struct AggregatePlan {
  Timestamp start{};        // raw rows in [start, whole_start)
  Timestamp whole_start{};  // rollups with whole_start <= hour < whole_end
  Timestamp whole_end{};
  Timestamp end{};  // raw rows in [whole_end, end)
};

// Requires start <= end. Always start <= whole_start <= whole_end <= end, whole_start and
// whole_end on hour boundaries whenever whole_start < whole_end.
AggregatePlan plan_aggregate(Timestamp start, Timestamp end);

}  // namespace utxoiq::store
