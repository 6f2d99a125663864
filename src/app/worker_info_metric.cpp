// See worker_info_metric.hpp.
#include "app/worker_info_metric.hpp"

#include <unistd.h>

#include <string>

#include "obs/metrics.hpp"

namespace utxoiq::app {

void add_worker_info_metric(obs::Registry& registry, int worker_index,
                            std::weak_ptr<const void> owner) {
  registry.add_collector(
      [worker = std::to_string(worker_index), owner = std::move(owner)](obs::Exposition& out) {
        if (!owner.lock()) return;
        // Read at scrape time: the pid of this worker process, which is what the label is for.
        out.gauge("utxoiq_worker_info", "1, labelled with a worker process: its index and pid", 1.0,
                  {{"worker", worker}, {"pid", std::to_string(::getpid())}});
      });
}

}  // namespace utxoiq::app
