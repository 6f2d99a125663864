#pragma once
// What the supervisor does when a worker exits (pure, unit-tested): restart it after a backoff,
// or stop the whole service. Rules, and why:
//  - A start-failure exit code (exit_codes.hpp: usage, database unreachable, listen failed,
//    migration failed, embedded failed) from a worker's FIRST start stops every worker and the
//    supervisor exits with it: the next start would fail the same way, and the operator must see
//    the reason, not a restart loop.
//  - The same code from a restarted worker is restarted like a crash: the configuration started
//    once, so the cause is passing (PostgreSQL restarting while the worker came back), and the
//    workers still running must not be stopped for it.
//  - Any other end (a crash, a signal, exit 1) restarts the worker after 0.5 s, doubling with each
//    consecutive failure up to 30 s, so a worker that crashes at once does not spin a core; a
//    worker that ran at least kStableRun resets the doubling (its next crash is a new incident).
#include <chrono>

namespace utxoiq::app {

inline constexpr std::chrono::milliseconds kFirstRestartDelay{500};
inline constexpr std::chrono::milliseconds kMaxRestartDelay{30'000};
inline constexpr std::chrono::seconds kStableRun{30};

// True for the exit codes that mean "this configuration cannot start" (see above).
bool is_start_failure(int exit_code);

// The delay before restarting a worker that has now failed `consecutive_failures` times in a row
// (>= 1): 0.5 s, 1 s, 2 s, ... capped at 30 s.
std::chrono::milliseconds restart_delay(int consecutive_failures);

struct RestartDecision {
  bool stop_all = false;  // true: stop every worker, exit with exit_code
  int exit_code = 0;
  std::chrono::milliseconds delay{0};  // when !stop_all: wait this long, then restart
  int consecutive_failures = 0;        // the worker's count after this exit
};

// `exit_code`: the worker's code when it exited, -1 when a signal ended it. `ran_for`: from its
// start to its exit. `previous_failures`: its consecutive failures before this exit.
// `first_start`: this was the worker's first process (not a restart).
RestartDecision decide_restart(int exit_code, std::chrono::milliseconds ran_for,
                               int previous_failures, bool first_start);

}  // namespace utxoiq::app
