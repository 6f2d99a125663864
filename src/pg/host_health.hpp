#pragma once
// The health of one database host as the router sees it, without I/O:
//  - CheckSchedule: when the next check is due: every interval (10 s by default), and at once
//    after a connection error, so a host that broke is looked at without waiting a full interval;
//  - classify_replica: up, down (failed its last check, or its circuit breaker refuses calls) or
//    lagging (answers, but its lag is over the limit): only "up" replicas serve reads, and a
//    replica comes back by itself at the first passing check within the limit;
//  - HostStateTracker: reports each change of state exactly once (the log line and the alert).
#include <chrono>
#include <optional>
#include <string_view>

#include "pg/replica_lag.hpp"

namespace utxoiq::pg {

enum class HostState { up, down, lagging };
std::string_view to_string(HostState state);  // "up", "down", "lagging"

class CheckSchedule {
 public:
  using Clock = std::chrono::steady_clock;
  // The first check is due at once. Throws std::invalid_argument unless interval > 0.
  explicit CheckSchedule(Clock::duration interval);

  bool due(Clock::time_point now) const { return now >= next_due_; }
  Clock::time_point next_due() const { return next_due_; }
  void checked(Clock::time_point at);            // a check ran: the next one an interval later
  void connection_failed(Clock::time_point at);  // a statement lost its connection: check now

 private:
  Clock::duration interval_;
  Clock::time_point next_due_{};
};

struct ReplicaHealthInput {
  bool check_passed = false;     // the last check answered, in recovery, same cluster
  bool breaker_allows = true;    // the host's circuit breaker lets calls through
  ReplicaLag lag;                // from the last check that passed
  double max_lag_seconds = 5.0;  // --replica-max-lag
};
HostState classify_replica(const ReplicaHealthInput& input);

struct HostTransition {
  HostState from;
  HostState to;
};

// Starts in `initial`; update() returns the transition when the state changed, else nullopt.
class HostStateTracker {
 public:
  explicit HostStateTracker(HostState initial) : state_(initial) {}
  std::optional<HostTransition> update(HostState next);
  HostState state() const { return state_; }

 private:
  HostState state_;
};

}  // namespace utxoiq::pg
