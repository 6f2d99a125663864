// See worker_restart.hpp.
#include "app/worker_restart.hpp"

#include <algorithm>
#include <cassert>

#include "app/exit_codes.hpp"

namespace utxoiq::app {

bool is_start_failure(int exit_code) {
  switch (exit_code) {
    case kExitUsage:
    case kExitDatabaseUnreachable:
    case kExitListenFailed:
    case kExitMigrationFailed:
    case kExitEmbeddedFailed:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds restart_delay(int consecutive_failures) {
  assert(consecutive_failures >= 1);
  std::chrono::milliseconds delay = kFirstRestartDelay;
  for (int i = 1; i < consecutive_failures && delay < kMaxRestartDelay; ++i) delay *= 2;
  return std::min(delay, kMaxRestartDelay);
}

RestartDecision decide_restart(int exit_code, std::chrono::milliseconds ran_for,
                               int previous_failures, bool first_start) {
  assert(previous_failures >= 0);
  RestartDecision decision;
  if (first_start && is_start_failure(exit_code)) {
    decision.stop_all = true;
    decision.exit_code = exit_code;
    return decision;
  }
  const int before = ran_for >= kStableRun ? 0 : previous_failures;
  decision.consecutive_failures = before + 1;
  decision.delay = restart_delay(decision.consecutive_failures);
  return decision;
}

}  // namespace utxoiq::app
