#pragma once
// The read replicas of the primary at run time (issue 12): one Pool per replica host, a monitor
// per host, and the router's decision (pg/host_router.hpp) applied to them.
//
// Monitor, per host, one loop on the I/O executor:
//  - every second: the primary's pg_current_wal_lsn(), then the replica's receive/replay LSN and
//    replay timestamp (in that order, see replica_lag.hpp) -> lag seconds + bytes, replay LSN for
//    read-your-writes;
//  - every health interval (10 s), at the first poll and at once after a failed poll: the full
//    check, pg_is_in_recovery() (a host that is not in recovery is a primary, not a replica) and
//    the system identifier (a replica of another cluster has a different one). A host failing
//    either is excluded with a log line naming the reason, and checked again later;
//  - every change of state (up, down, lagging) is logged and passed to on_state_change (the
//    alert webhook).
// A replica that cannot be reached at start never stops the service: it is "down" until a check
// passes. Threading: everything lives on the one I/O thread, like Pool.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pg/host_router.hpp"
#include "pg/params.hpp"
#include "pg/pool.hpp"
#include "pg/pool_stats.hpp"
#include "pg/result.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {

struct ReplicaSetOptions {
  std::vector<PoolOptions> replicas;  // one per host; `name` is the host label shown everywhere
  RouterLimits limits;
  std::chrono::milliseconds health_interval{10'000};
  std::chrono::milliseconds lag_poll_interval{1000};
  // Host label, the change, and why (for a host going down: the error or the failed check).
  std::function<void(const std::string& host, HostTransition change, const std::string& why)>
      on_state_change;
};

// What /readyz, /monitoring/database/pool and /metrics show of one replica.
struct ReplicaStatus {
  std::string host;
  HostState state = HostState::down;
  ReplicaLag lag;
  bool lag_known = false;  // false until a poll answered
  double weight = 0;       // share of reads by keys with no token, 0 while not usable
  std::uint64_t reads_total = 0;
  PoolStats pool;
};

// Reads routed since start, by reason (RouteReason), for /metrics.
struct RouteCounts {
  std::uint64_t replica = 0;
  std::uint64_t primary_fallback = 0;
  std::uint64_t read_your_writes = 0;
  std::uint64_t critical = 0;
};

class ReplicaSet {
 public:
  // `primary` must outlive the set.
  ReplicaSet(boost::asio::any_io_executor executor, Pool& primary, ReplicaSetOptions options);
  ~ReplicaSet();
  ReplicaSet(const ReplicaSet&) = delete;
  ReplicaSet& operator=(const ReplicaSet&) = delete;

  void start();              // spawns the monitors
  Task<void> stop();         // ends the monitors and closes the replica pools
  std::size_t size() const;  // configured replicas

  // The route of one statement; counts it. A drawn replica's pool is pool_for(route).
  Route route(const StatementRequest& request);
  Pool& pool_for(const Route& route);
  // Runs a read where route() sends it. A replica that fails with a connection error is checked
  // at once and the read is retried on the primary, so a dying replica fails no request.
  Task<Result> execute_read(std::string_view sql, Params params, StatementRequest request,
                            StatementTag tag = {});

  // Read-your-writes: after a request by `key` changed data, the primary's
  // pg_current_wal_insert_lsn(), read after the request's commits, becomes the key's token. The
  // insert position and not pg_current_wal_lsn(): with synchronous_commit off a commit returns
  // before its record is written, so only the insert position is sure to be past it (a position
  // read inside the transaction would be before the commit record: too early). Read after the
  // commit from any session, since the position only grows. On failure the key reads from the
  // primary until its next recorded write. The token is then handed to the publisher (below) and
  // that is awaited too, so it is on its way to every instance before the write's answer leaves.
  Task<void> record_write(const std::string& key);
  // The routing request of a read by `origin`: its critical flag, its key's token and
  // tokens_complete().
  StatementRequest request_for(const ReadOrigin& origin) const;

  // Tokens shared between instances (app/ryw_token_feed.hpp carries them over Redis pub/sub;
  // pg/ knows nothing of Redis). Without a feed, or while it is not complete, other instances'
  // writes may be unknown here, so the router uses blind mode: replicas serve only while at most
  // 1 s stale (api.md lets another instance see a write 1 s late; see host_router.hpp).
  //  - the publisher gets every token recorded here; it must not throw (a token it fails to
  //    deliver is lost to the other instances, see app/ryw_token_feed.hpp);
  //  - learn_token: a token another instance recorded, merged as the maximum per key
  //    (pg/ryw_tokens.hpp);
  //  - token_feed_hearing: the feed's subscription confirmed (true) or lost (false). Tokens are
  //    complete after max_lag + 2 lag polls of unbroken hearing (pg/token_feed_completeness.hpp).
  using TokenPublisher = std::function<Task<void>(std::string key, Lsn lsn)>;
  void set_token_publisher(TokenPublisher publish);
  void learn_token(const std::string& key, Lsn lsn);
  void token_feed_hearing(bool hearing);
  bool tokens_complete() const;

  std::vector<ReplicaStatus> status() const;
  RouteCounts route_counts() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace utxoiq::pg
