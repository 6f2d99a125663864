// Breaker samples for /metrics; see breaker_metrics.hpp.
#include "resilience/breaker_metrics.hpp"

#include "obs/metrics.hpp"
#include "resilience/circuit_breaker.hpp"

namespace utxoiq::resilience {

void expose_breaker(obs::Exposition& out, std::string_view name, CircuitBreaker& breaker) {
  const BreakerState current = breaker.state();
  for (const BreakerState state :
       {BreakerState::closed, BreakerState::open, BreakerState::half_open}) {
    out.gauge("utxoiq_circuit_breaker_state",
              "1 for the breaker's current state (closed, open, half_open), 0 for the others",
              current == state ? 1.0 : 0.0,
              {{"breaker", std::string(name)}, {"state", std::string(to_string(state))}});
  }
  const CircuitBreakerCounters counters = breaker.counters();
  const obs::Exposition::LabelPairs labels{{"breaker", std::string(name)}};
  out.counter("utxoiq_circuit_breaker_opened_total", "Times the breaker opened",
              static_cast<double>(counters.opened), labels);
  out.counter("utxoiq_circuit_breaker_rejected_total", "Calls refused while open",
              static_cast<double>(counters.rejected), labels);
  out.counter("utxoiq_circuit_breaker_failures_total", "Failed calls counted by the breaker",
              static_cast<double>(counters.failures), labels);
}

void add_breaker_metrics(obs::Registry& registry, std::string name,
                         std::weak_ptr<CircuitBreaker> breaker) {
  registry.add_collector(
      [name = std::move(name), breaker = std::move(breaker)](obs::Exposition& out) {
        if (const auto b = breaker.lock()) expose_breaker(out, name, *b);
      });
}

}  // namespace utxoiq::resilience
