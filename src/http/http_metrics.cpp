// HTTP request metrics (see http_metrics.hpp).
#include "http/http_metrics.hpp"

#include <string>

#include "http/router.hpp"

namespace utxoiq::http {
namespace {

constexpr std::string_view kUnmatched = "unmatched";

std::string_view route_label(const Route* route) {
  return route == nullptr ? kUnmatched : std::string_view(route->options.name);
}

}  // namespace

std::size_t HttpMetrics::KeyHash::operator()(const Key& key) const noexcept {
  const auto pointer = reinterpret_cast<std::uintptr_t>(key.route);
  return std::hash<std::uintptr_t>{}(pointer ^ (static_cast<std::uintptr_t>(key.status) << 48) ^
                                     (static_cast<std::uintptr_t>(key.method) << 40));
}

HttpMetrics::HttpMetrics(obs::Registry& registry)
    : requests_(registry.counter("http_requests_total", "HTTP requests answered.",
                                 {"route", "method", "status"})),
      durations_(registry.histogram("http_request_duration_seconds",
                                    "Time from a request's header to the end of its response.",
                                    {"route", "status_class"})),
      open_connections_(registry.gauge("http_open_connections", "Open HTTP connections.").get()) {}

void HttpMetrics::record(const Route* route, Method method, int status, double seconds) {
  Children children{};
  {
    std::lock_guard lock(mutex_);
    const Key key{route, method, status};
    auto found = children_.find(key);
    if (found == children_.end()) {
      const std::string status_text = std::to_string(status);
      const std::string status_class = std::to_string(status / 100) + "xx";
      const Children made{&requests_.labels({route_label(route), method_name(method),
                                             std::string_view(status_text)}),
                          &durations_.labels({route_label(route), std::string_view(status_class)})};
      found = children_.emplace(key, made).first;
    }
    children = found->second;
  }
  children.counter->inc();
  children.histogram->observe(seconds);
}

}  // namespace utxoiq::http
