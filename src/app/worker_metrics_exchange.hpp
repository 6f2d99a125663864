#pragma once
// One scrape of /metrics shows every worker of `serve --workers N` (docs/architecture.md, "Worker
// processes"): each worker serves its own exposition on a Unix socket of the supervisor's private
// directory (worker_metrics_dir.hpp), and the worker that takes a scrape reads the others' from
// theirs and merges them (obs/exposition_merge.hpp), every sample labelled worker="<i>".
//
// The protocol: a client connects, the worker writes Registry::expose() and closes; nothing is
// read from the client. Reads of the other workers run concurrently, each within kPeerTimeout; a
// worker that does not answer in time (restarting) is left out of that scrape and counted in
// utxoiq_metrics_workers_missing, a gauge reported by the worker that answered the scrape.
#include <chrono>
#include <memory>
#include <string>

#include "util/task.hpp"

namespace boost::asio {
class io_context;
}
namespace utxoiq::obs {
class Registry;
}

namespace utxoiq::app {

class WorkerMetricsExchange {
 public:
  static constexpr std::chrono::seconds kPeerTimeout{1};

  // Worker `index` of `count` (count > 1), sockets in `dir`; `registry` must outlive it.
  WorkerMetricsExchange(boost::asio::io_context& io, std::string dir, int index, int count,
                        obs::Registry& registry);
  ~WorkerMetricsExchange();
  WorkerMetricsExchange(const WorkerMetricsExchange&) = delete;
  WorkerMetricsExchange& operator=(const WorkerMetricsExchange&) = delete;

  // Binds this worker's socket (replacing a stale one) and serves it; throws when it cannot bind.
  void start();
  // Stops serving and removes the socket.
  void stop();

  // Every worker's exposition, merged; on the io_context's thread.
  Task<std::string> merged_exposition();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace utxoiq::app
