#pragma once
// How far a streaming replica is behind, measured honestly. `now() -
// pg_last_xact_replay_timestamp()` alone is wrong: on an idle primary the last replayed commit is
// old although nothing is missing. So lag is two figures:
//  - bytes: from the replica's replay position to the furthest position it should have (the
//    primary's current position or what the replica already received, whichever is ahead);
//  - seconds: 0 when bytes is 0 (all received is replayed and the primary has written nothing
//    newer); otherwise an upper bound of how old the oldest missing commit can be: the smaller of
//    `now - last replayed commit time` and `now - the last time the replica was seen caught up`
//    (every commit it misses came after that moment, because the primary's position is read
//    before the replica's). Unknown (no replay timestamp, never seen caught up): infinite, which
//    is over any limit.
// Pure: the samples come from the health monitor; nothing here does I/O.
#include <chrono>
#include <cstdint>
#include <optional>

#include "pg/lsn.hpp"

namespace utxoiq::pg {

using WallClock = std::chrono::system_clock;

struct LagSample {
  WallClock::time_point primary_read_at;  // when pg_current_wal_lsn() was read on the primary
  Lsn primary_lsn;                        // the primary's pg_current_wal_lsn()
  Lsn receive_lsn;                        // the replica's pg_last_wal_receive_lsn() (or replay's)
  Lsn replay_lsn;                         // the replica's pg_last_wal_replay_lsn()
  // The replica's pg_last_xact_replay_timestamp(); nullopt when it has replayed no commit yet.
  std::optional<WallClock::time_point> replay_timestamp;
  WallClock::time_point replica_read_at;  // when the replica answered (after primary_read_at)
};

struct ReplicaLag {
  double seconds = 0;       // >= 0; +infinity when unknown
  std::uint64_t bytes = 0;  // WAL bytes not yet replayed
};

// Keeps, per replica, the last moment it was seen caught up, and turns samples into lags.
class LagTracker {
 public:
  ReplicaLag observe(const LagSample& sample);
  std::optional<WallClock::time_point> caught_up_at() const { return caught_up_at_; }

 private:
  std::optional<WallClock::time_point> caught_up_at_;
};

}  // namespace utxoiq::pg
