#pragma once
// utxoiq_worker_info{worker="i",pid="..."} 1: the worker process (`serve --workers`) whose figures
// these are; a scrape of /metrics shows one line per worker (worker_metrics_exchange.hpp), a single
// process reports worker "0".
#include <memory>

namespace utxoiq::obs {
class Registry;
}

namespace utxoiq::app {

// Reported while `owner` is alive (the registry is process-wide, the service is not).
void add_worker_info_metric(obs::Registry& registry, int worker_index,
                            std::weak_ptr<const void> owner);

}  // namespace utxoiq::app
