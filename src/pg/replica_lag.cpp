// Replica lag from LSNs and the replay timestamp; see replica_lag.hpp for why both.
#include "pg/replica_lag.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace utxoiq::pg {

namespace {

double seconds_since(WallClock::time_point then, WallClock::time_point now) {
  const std::chrono::duration<double> elapsed = now - then;
  return std::max(0.0, elapsed.count());
}

}  // namespace

ReplicaLag LagTracker::observe(const LagSample& sample) {
  assert(sample.primary_read_at <= sample.replica_read_at);
  const Lsn target = std::max(sample.primary_lsn, sample.receive_lsn);
  ReplicaLag lag;
  lag.bytes = bytes_between(sample.replay_lsn, target);
  if (lag.bytes == 0) {
    caught_up_at_ = sample.primary_read_at;
    return lag;
  }
  lag.seconds = std::numeric_limits<double>::infinity();
  if (sample.replay_timestamp) {
    lag.seconds = seconds_since(*sample.replay_timestamp, sample.replica_read_at);
  }
  if (caught_up_at_) {
    lag.seconds = std::min(lag.seconds, seconds_since(*caught_up_at_, sample.replica_read_at));
  }
  assert(lag.seconds >= 0);
  return lag;
}

}  // namespace utxoiq::pg
