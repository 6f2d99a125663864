// Host health decisions; see host_health.hpp.
#include "pg/host_health.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace utxoiq::pg {

std::string_view to_string(HostState state) {
  switch (state) {
    case HostState::up:
      return "up";
    case HostState::down:
      return "down";
    case HostState::lagging:
      return "lagging";
  }
  return "down";
}

CheckSchedule::CheckSchedule(Clock::duration interval) : interval_(interval) {
  if (interval <= Clock::duration::zero()) {
    throw std::invalid_argument("health check interval must be positive");
  }
}

void CheckSchedule::checked(Clock::time_point at) {
  next_due_ = at + interval_;
}

void CheckSchedule::connection_failed(Clock::time_point at) {
  next_due_ = std::min(next_due_, at);
}

HostState classify_replica(const ReplicaHealthInput& input) {
  assert(input.max_lag_seconds >= 0);
  if (!input.check_passed || !input.breaker_allows) return HostState::down;
  if (!(input.lag.seconds <= input.max_lag_seconds)) return HostState::lagging;
  return HostState::up;
}

std::optional<HostTransition> HostStateTracker::update(HostState next) {
  if (next == state_) return std::nullopt;
  const HostTransition transition{state_, next};
  state_ = next;
  return transition;
}

}  // namespace utxoiq::pg
