// See worker_supervisor.hpp. The supervisor is a plain loop on the main thread: it polls its
// children every kPoll (ChildProcess reaps without a SIGCHLD handler) and a flag that the
// SIGTERM/SIGINT handler sets; nothing else runs in this process.
#include "app/worker_supervisor.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include "app/child_process.hpp"
#include "app/exit_codes.hpp"
#include "app/worker_config.hpp"
#include "app/worker_metrics_dir.hpp"
#include "app/worker_restart.hpp"
#include "obs/logging.hpp"

namespace utxoiq::app {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPoll{50};
// Beyond the shutdown grace a worker gets to stop, before it is SIGKILLed.
constexpr std::chrono::seconds kStopMargin{10};

volatile std::sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int signal) {
  stop_signal = signal;
}

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

struct Slot {
  ChildProcess process;
  Clock::time_point started;
  int failures = 0;                             // consecutive, see worker_restart.hpp
  bool restarted = false;                       // the process is not the slot's first
  std::optional<Clock::time_point> restart_at;  // set while waiting to restart
};

class Supervisor {
 public:
  explicit Supervisor(SupervisorOptions options)
      : options_(std::move(options)), slots_(static_cast<std::size_t>(options_.count)) {
    for (char** entry = environ; *entry; ++entry) parent_environment_.emplace_back(*entry);
  }

  int run() {
    try {
      // One scrape of /metrics shows every worker through their sockets in it.
      options_.config.worker_metrics_dir =
          make_worker_metrics_dir(options_.config.database.data_dir, options_.port, options_.count);
    } catch (const std::exception& e) {
      std::cerr << "utxoiq-store: " << e.what() << "\n";
      return kExitFailure;
    }
    for (int i = 0; i < options_.count; ++i) {
      if (!spawn(i)) return stop_all(kExitFailure);
    }
    while (stop_signal == 0) {
      std::this_thread::sleep_for(kPoll);
      for (int i = 0; i < options_.count; ++i) {
        if (const auto code = check(i)) return stop_all(*code);
      }
    }
    obs::log_info("shutting down", {{"signal", static_cast<int>(stop_signal)}});
    return stop_all(kExitOk);
  }

 private:
  bool spawn(int index) {
    Slot& slot = slots_[static_cast<std::size_t>(index)];
    ChildOptions child;
    // /proc/self/exe: this very binary, even when the file was replaced since it started.
    child.argv = worker_argv("/proc/self/exe", options_.config, index, options_.count);
    child.extra_environment = worker_environment(options_.config, options_.database_url,
                                                 options_.redis_url, parent_environment_);
    child.inherit_output = true;
    // A worker outliving the supervisor would serve without anyone restarting or stopping it.
    child.parent_death_signal = SIGTERM;
    try {
      slot.process = ChildProcess::spawn(child);
    } catch (const std::exception& e) {
      std::cerr << "utxoiq-store: cannot start worker " << index << ": " << e.what() << "\n";
      return false;
    }
    slot.started = Clock::now();
    slot.restart_at.reset();
    obs::log_info("worker started", {{"worker", index}, {"pid", slot.process.pid()}});
    return true;
  }

  // Restarts a worker whose backoff ended, handles a worker that exited; returns the code to
  // stop everything with, if it comes to that.
  std::optional<int> check(int index) {
    Slot& slot = slots_[static_cast<std::size_t>(index)];
    if (slot.restart_at) {
      if (Clock::now() < *slot.restart_at) return std::nullopt;
      if (!spawn(index)) return kExitFailure;
      return std::nullopt;
    }
    if (slot.process.running()) return std::nullopt;
    assert(slot.process.exit_status());
    const int status = *slot.process.exit_status();
    const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const auto ran_for =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - slot.started);
    const RestartDecision decision =
        decide_restart(exit_code, ran_for, slot.failures, !slot.restarted);
    const std::string how = ChildProcess::describe_status(status);
    if (decision.stop_all) {
      std::cerr << "utxoiq-store: worker " << index << " could not start (" << how
                << "); stopping the service\n";
      return decision.exit_code;
    }
    obs::log_warn("worker ended; restarting it", {{"worker", index},
                                                  {"pid", slot.process.pid()},
                                                  {"status", how},
                                                  {"restart_in_ms", decision.delay.count()}});
    slot.failures = decision.consecutive_failures;
    slot.process = ChildProcess();
    slot.restarted = true;
    slot.restart_at = Clock::now() + decision.delay;
    return std::nullopt;
  }

  // SIGTERM to every worker (their graceful shutdown), then waits; SIGKILL for any still running
  // after the grace and a margin.
  int stop_all(int code) {
    for (auto& slot : slots_) slot.process.signal(SIGTERM);
    const auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::duration<double>(options_.config.shutdown_grace_s)) +
                       kStopMargin;
    const auto deadline = Clock::now() + limit;
    for (auto& slot : slots_) {
      if (slot.process.pid() <= 0) continue;  // waiting to be restarted: nothing runs
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (!slot.process.wait_for(std::max(left, std::chrono::milliseconds(0)))) {
        obs::log_warn("worker did not stop in time; killing it", {{"pid", slot.process.pid()}});
        slot.process.signal(SIGKILL);
        slot.process.wait_for(std::chrono::seconds(10));
      }
    }
    // Empty once every worker removed its socket; a killed worker's stays, the directory too.
    if (!options_.config.worker_metrics_dir.empty()) {
      ::rmdir(options_.config.worker_metrics_dir.c_str());
    }
    obs::log_info("workers stopped", {{"exit_code", code}});
    return code;
  }

  SupervisorOptions options_;
  std::vector<Slot> slots_;
  std::vector<std::string> parent_environment_;
};

}  // namespace

int run_worker_supervisor(const SupervisorOptions& options) {
  assert(options.count > 1);
  install_stop_handlers();
  return Supervisor(options).run();
}

int available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

}  // namespace utxoiq::app
