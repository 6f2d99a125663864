#pragma once
// The parent of `serve --workers N` (N > 1): spawns N workers (this same binary, with the hidden
// flags --worker-index/--worker-count, worker_config.hpp), restarts the ones that die
// (worker_restart.hpp says when), and on SIGTERM/SIGINT forwards SIGTERM to every worker and
// waits for them. It serves no request itself; the embedded servers and the migrations are
// run_serve's, before and after it.
#include <cstdint>
#include <string>

#include "app/config.hpp"

namespace utxoiq::app {

struct SupervisorOptions {
  ServeConfig config;      // the service's settings, pool sizes for the whole service
  int count = 2;           // workers
  std::uint16_t port = 0;  // of config.listen, fixed (names the metrics sockets' directory)
  std::string database_url;
  std::string redis_url;  // empty: none
};

// Runs until SIGTERM/SIGINT (returns kExitOk once every worker stopped) or until a worker exits
// with a start-failure code (stops the others, returns that code).
int run_worker_supervisor(const SupervisorOptions& options);

// The CPUs this process may run on (sched_getaffinity: taskset and cgroup cpusets count), at
// least 1.
int available_cpus();

}  // namespace utxoiq::app
