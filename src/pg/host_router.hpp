#pragma once
// Which host runs a statement (design.md "Database access", seed 003 "Workload Isolator"):
//  - writes, and critical reads (every admin route, a read that decides a write) go to the primary;
//  - other reads go to a usable replica, drawn by weight (host_weights.hpp): one that is up, within
//    the lag limit and, when the key that reads has a read-your-writes token (the commit LSN of its
//    last write), whose replay position has reached that token -- a replica that has not replayed
//    a key's last write does not serve that key's reads (api.md "Precise rules");
//  - no usable replica: the primary ("primary-fallback", or "read-your-writes" when some replica
//    was left out only because it has not replayed the key's token yet).
// Tokens come from this instance's writes and, through a Redis pub/sub feed, from every other
// instance's (app/ryw_token_feed.hpp). `tokens_complete` says whether that feed can be relied on:
// heard without a break for max_lag + 2 lag polls (pg/token_feed_completeness.hpp). While it
// cannot -- Redis down or unreachable, the subscription lost, the instance just started, or no
// Redis at all -- this instance cannot know whether a key wrote elsewhere recently ("blind
// mode"). api.md lets another instance see a write up to 1 s late, so a replica then serves only
// when it is at most 1 s stale: its lag at the last poll plus the age of that poll under
// `blind_max_staleness_s` (1 s); keys with a local token must also satisfy it. So in blind mode a
// key still reads its own writes made on this instance at once, and its writes made on another
// instance within 1 s; reads leave the primary only while replicas are under 1 s behind.
// Pure: the views come from the health monitor and the pools.
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "pg/host_health.hpp"
#include "pg/host_weights.hpp"
#include "pg/lsn.hpp"
#include "pg/replica_lag.hpp"

namespace utxoiq::pg {

struct ReplicaView {
  HostState state = HostState::down;
  ReplicaLag lag;           // at the last poll
  double sample_age_s = 0;  // how long ago that poll answered
  Lsn replay_lsn;           // replay position at the last poll (only ever moves forward)
  HostLoad load;
};

struct StatementRequest {
  bool write = false;     // the statement's declared access is write
  bool critical = false;  // a read that must see the primary (admin routes, reads deciding writes)
  std::optional<Lsn> key_token;  // the reading key's last commit LSN, when one is known
  bool tokens_complete = true;   // false in blind mode: other instances' tokens may be unknown
};

struct RouterLimits {
  double max_lag_s = 5.0;              // --replica-max-lag
  double blind_max_staleness_s = 1.0;  // while tokens are incomplete (blind mode)
  WeightPolicy weights;
};

enum class RouteReason { write, critical, replica, primary_fallback, read_your_writes };
std::string_view to_string(RouteReason reason);  // "write", "critical", "replica", ...

struct Route {
  std::optional<std::size_t> replica;  // index into the views; nullopt: the primary
  RouteReason reason = RouteReason::write;
};

// Whether replica `view` may serve `request`'s read, ignoring load (the eligibility rules above).
bool replica_serves(const ReplicaView& view, const StatementRequest& request,
                    const RouterLimits& limits);

// The route of one statement; `u` in [0, 1) is the random draw among usable replicas.
Route route_statement(const StatementRequest& request, std::span<const ReplicaView> replicas,
                      const RouterLimits& limits, double u);

// The weight of each replica as /monitoring/database/pool shows it: its share of a read by a key
// with no token, 0 for a replica not usable now.
std::vector<double> displayed_weights(std::span<const ReplicaView> replicas,
                                      const RouterLimits& limits);

}  // namespace utxoiq::pg
