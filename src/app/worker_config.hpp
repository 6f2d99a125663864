#pragma once
// `serve --workers N` (docs/architecture.md, "Worker processes"), the pure part: how many workers,
// each worker's pool, and the command line and environment a worker is started with. The
// supervisor (worker_supervisor.hpp) does the fork/exec; nothing here touches the system.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/config.hpp"

namespace utxoiq::app {

// The number of workers, or why the request cannot be served.
struct WorkerCount {
  int count = 1;
  std::string error;  // non-empty: a usage error, printed as is
};

// `requested`: --workers (0 or absent: the default). `available_cpus`: the CPUs this process may
// run on (sched_getaffinity). Default: one worker per available CPU, except that port 0 (a free
// port chosen by the kernel, as tests use) gets one: each worker would pick a different port.
WorkerCount resolve_worker_count(std::optional<int> requested, int available_cpus,
                                 std::uint16_t port);

// One worker's pool: --pool-max and --pool-min are per database host for the whole service, so
// each of `count` workers gets its share (at least 1 connection, so with more workers than
// --pool-max the total is `count`), and its minimum never exceeds its maximum.
PoolSettings worker_pool(const PoolSettings& total, int count);

// argv of worker `index` of `count` (argv[0] = `executable`): `config`'s settings as flags, its
// pool divided (worker_pool), the metrics sockets' directory (config.worker_metrics_dir, set by
// the supervisor), no migrations (the supervisor applied them) and no embedded
// servers (the supervisor runs them). Secrets are never in it (see worker_environment): argv is
// readable by every user of the host (/proc/PID/cmdline).
std::vector<std::string> worker_argv(const std::string& executable, const ServeConfig& config,
                                     int index, int count);

// What a worker gets beside argv ("NAME=value"): the secrets — the database URL (with its
// password), the Redis URL, the replica URLs, the bootstrap admin key, the alert webhook — and the
// sanitizer options found in `parent_environment` (so a sanitizer build's workers report like the
// supervisor). Empty settings are left out.
std::vector<std::string> worker_environment(const ServeConfig& config,
                                            const std::string& database_url,
                                            const std::string& redis_url,
                                            const std::vector<std::string>& parent_environment);

}  // namespace utxoiq::app
