#pragma once
// utxoiq_db_up{host,role}: 1 while the health monitor reaches the database host, 0 while it does
// not, read at scrape time (the "database down" alert of deploy/prometheus/alerts.yml).
#include <functional>
#include <memory>
#include <string>

namespace utxoiq::obs {
class Registry;
}

namespace utxoiq::app {

// `up` is called only while `owner` is alive: the registry outlives the service that owns it.
void add_database_up_metric(obs::Registry& registry, std::string host, std::string role,
                            std::weak_ptr<const void> owner, std::function<bool()> up);

}  // namespace utxoiq::app
