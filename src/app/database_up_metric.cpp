// The utxoiq_db_up collector (see database_up_metric.hpp).
#include "app/database_up_metric.hpp"

#include "obs/metrics.hpp"

namespace utxoiq::app {

void add_database_up_metric(obs::Registry& registry, std::string host, std::string role,
                            std::weak_ptr<const void> owner, std::function<bool()> up) {
  registry.add_collector([host = std::move(host), role = std::move(role), owner = std::move(owner),
                          up = std::move(up)](obs::Exposition& out) {
    const auto alive = owner.lock();
    if (!alive) return;
    out.gauge("utxoiq_db_up", "1 while the health monitor reaches the database host, else 0",
              up() ? 1.0 : 0.0, {{"host", host}, {"role", role}});
  });
}

}  // namespace utxoiq::app
