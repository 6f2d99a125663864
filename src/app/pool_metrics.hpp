#pragma once
// Exports a pool's figures on /metrics at scrape time (utxoiq_db_pool_*), so they are always
// current without a timer.
namespace utxoiq::obs {
class Registry;
}
namespace utxoiq::pg {
class Pool;
}

namespace utxoiq::app {

// The collector holds the pool weakly: once the pool is gone it adds nothing.
void add_pool_metrics(obs::Registry& registry, const pg::Pool& pool);

}  // namespace utxoiq::app
