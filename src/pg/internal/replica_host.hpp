#pragma once
// One replica host as the ReplicaSet keeps it: its pool, its schedule, what its last checks said.
// Shared by the set (routing, status) and the host's monitor loop (pg/replica_monitor.cpp), both
// on the I/O thread.
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "pg/host_health.hpp"
#include "pg/replica_lag.hpp"
#include "pg/replica_set.hpp"
#include "pg/ryw_tokens.hpp"
#include "pg/token_feed_completeness.hpp"

namespace utxoiq::pg {

struct ReplicaHost {
  ReplicaHost(boost::asio::any_io_executor executor, PoolOptions options,
              std::chrono::milliseconds health_interval)
      : pool(executor, std::move(options)), schedule(health_interval), timer(executor) {}

  Pool pool;
  CheckSchedule schedule;
  LagTracker lag_tracker;
  HostStateTracker tracker{HostState::down};
  boost::asio::steady_timer timer;
  bool check_passed = false;  // the last full check: answers, in recovery, same cluster
  bool started = false;       // the pool's start() (min_size connections) succeeded once
  bool lag_known = false;
  std::string problem;         // why the host is not up, for the log line
  std::string logged_problem;  // the last one logged, so a host failing alike logs once
  ReplicaView view;            // what the router reads
  CheckSchedule::Clock::time_point sampled_at{};
  std::uint64_t reads_total = 0;
};

struct ReplicaSet::State {
  State(boost::asio::any_io_executor ex, Pool& p, ReplicaSetOptions o)
      : executor(ex),
        primary(p),
        options(std::move(o)),
        token_feed(TokenFeedCompleteness::required_for(options.limits.max_lag_s,
                                                       options.lag_poll_interval)) {}

  boost::asio::any_io_executor executor;
  Pool& primary;
  ReplicaSetOptions options;
  std::vector<std::unique_ptr<ReplicaHost>> hosts;
  std::optional<std::string> primary_system_id;  // read once from the primary
  RouteCounts counts;
  RywTokens tokens;                    // key id -> last commit's WAL position
  TokenFeedCompleteness token_feed;    // whether other instances' tokens are all known
  ReplicaSet::TokenPublisher publish;  // hands a recorded token to the other instances
  std::mt19937_64 rng{std::random_device{}()};
  bool stopped = false;

  // The views with each sample's age brought up to now.
  std::vector<ReplicaView> views() const;
  // Sets the host's state from its last check and lag; logs and reports a change.
  void update_state(ReplicaHost& host);
};

// The monitor loop of one host (replica_monitor.cpp).
Task<void> monitor_replica(std::shared_ptr<ReplicaSet::State> state, ReplicaHost& host);

}  // namespace utxoiq::pg
