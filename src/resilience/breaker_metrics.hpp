#pragma once
// Circuit breakers on /metrics: utxoiq_circuit_breaker_state{breaker, state} (1 for the current
// state, 0 for the others, so a dashboard can graph each state and alert on "open"), and the
// counters of opened / rejected calls. Computed at scrape time from the breaker itself.
#include <memory>
#include <string>
#include <string_view>

namespace utxoiq::obs {
class Registry;
class Exposition;
}  // namespace utxoiq::obs

namespace utxoiq::resilience {

class CircuitBreaker;

// Appends the samples of one breaker (for collectors that own several things).
void expose_breaker(obs::Exposition& out, std::string_view name, CircuitBreaker& breaker);

// A collector for one breaker, held weakly: once the breaker is gone it adds nothing.
void add_breaker_metrics(obs::Registry& registry, std::string name,
                         std::weak_ptr<CircuitBreaker> breaker);

}  // namespace utxoiq::resilience
