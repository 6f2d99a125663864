#pragma once
// Failover (issue 12): the service follows the primary without a restart. When the host written
// to stops answering, or stops accepting writes, a Patroni or manual promotion has made another
// configured host the primary; every configured host (the primary URL and each replica URL) is
// asked `pg_is_in_recovery()`, its system identifier and timeline (pg/host_probe.hpp), and the
// pool is retargeted to the one pg/primary_choice.hpp picks.
//
// When it looks, and why:
//  - every `check_interval` (--health-interval, 10 s) all hosts are probed, so a switchover that
//    left the old primary running (split brain until it is demoted) is seen too;
//  - while the host written to fails its probe, every `failing_interval` (1 s), so a promotion is
//    followed within about a second of it (the bound is 30 s);
//  - a probe opens its own connection with short timeouts: the pool's connections may all be
//    waiting on a dead host.
// Writes in the gap fail as the pool fails them (503 with Retry-After, api/database_errors); an
// acknowledged write is one the followed primary committed. Threading: one loop on the I/O
// executor, like Pool.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pg/connection.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {

class Pool;

// A probe's connection: a host that does not answer within 2 s counts as down.
inline ConnectOptions short_probe() {
  ConnectOptions options;
  options.connect_timeout = std::chrono::milliseconds{2000};
  options.statement_timeout_ms = 2000;
  return options;
}

// One follow, as on_follow hears it. `to_conninfo` may hold a password: never log it.
struct FollowEvent {
  std::string from;  // host names
  std::string to;
  std::string to_conninfo;
  std::string why;
};

struct PrimaryFollowerOptions {
  // Every configured host's conninfo; [0] is the primary configured at start.
  std::vector<std::string> hosts;
  std::vector<std::string> names;  // the label of each host, for log lines (same size as hosts)
  std::chrono::milliseconds check_interval{10'000};
  std::chrono::milliseconds failing_interval{1000};
  ConnectOptions probe = short_probe();
  // Called after the pool was retargeted.
  std::function<void(const FollowEvent&)> on_follow;
};

class PrimaryFollower {
 public:
  // `pool` is the primary's pool and must outlive the follower; its conninfo is hosts[0].
  PrimaryFollower(boost::asio::any_io_executor executor, Pool& pool,
                  PrimaryFollowerOptions options);
  ~PrimaryFollower();
  PrimaryFollower(const PrimaryFollower&) = delete;
  PrimaryFollower& operator=(const PrimaryFollower&) = delete;

  void start();
  void stop();  // on the I/O thread; a probe in flight finishes on its own

  std::string current_host() const;  // the name of the host written to now
  std::uint64_t failovers() const;   // times the pool was retargeted

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace utxoiq::pg
