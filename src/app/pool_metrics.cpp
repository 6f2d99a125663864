#include "app/pool_metrics.hpp"

#include "obs/metrics.hpp"
#include "pg/pool.hpp"

namespace utxoiq::app {

void add_pool_metrics(obs::Registry& registry, const pg::Pool& pool) {
  // The pool is read through a weak handle: a collector outliving its service (tests start and
  // stop many in one process) adds nothing instead of reading a destroyed pool.
  registry.add_collector(
      [read = pool.stats_reader(), name = pool.options().name](obs::Exposition& out) {
        const std::optional<pg::PoolStats> stats = read();
        if (!stats) return;
        const pg::PoolStats& s = *stats;
        const obs::Exposition::LabelPairs host{{"pool", name}};
        auto gauge = [&](const char* name, const char* help, double value) {
          out.gauge(name, help, value, host);
        };
        auto counter = [&](const char* name, const char* help, double value) {
          out.counter(name, help, value, host);
        };
        gauge("utxoiq_db_pool_size", "Open connections (idle + active + opening)", s.size);
        gauge("utxoiq_db_pool_active", "Connections leased to requests", s.active);
        gauge("utxoiq_db_pool_idle", "Connections waiting in the pool", s.idle);
        gauge("utxoiq_db_pool_waiting", "Requests waiting for a connection", s.waiting);
        gauge("utxoiq_db_pool_min", "Configured minimum size", s.min_size);
        gauge("utxoiq_db_pool_max", "Configured maximum size", s.max_size);
        counter("utxoiq_db_pool_acquired_total", "Connections handed out", s.acquired_total);
        counter("utxoiq_db_pool_acquire_timeouts_total", "Acquires that timed out",
                s.acquire_timeouts_total);
        counter("utxoiq_db_pool_connects_total", "Connections opened", s.connects_total);
        counter("utxoiq_db_pool_connect_failures_total", "Failed connection attempts",
                s.connect_failures_total);
        counter("utxoiq_db_pool_closed_total", "Connections closed", s.closed_total);
        counter("utxoiq_db_pool_acquire_wait_seconds_total",
                "Seconds spent waiting for a connection", s.acquire_wait_seconds_sum);
        counter("utxoiq_db_pool_acquire_waits_total", "Waits for a connection",
                static_cast<double>(s.acquire_wait_count));
      });
}

}  // namespace utxoiq::app
