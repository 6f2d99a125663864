#pragma once
// The HTTP metrics of every request: http_requests_total{route,method,status} and
// http_request_duration_seconds{route,status_class} (status_class 2xx..5xx: a bounded label set),
// plus http_open_connections. Children are cached per
// (route, method, status) so a request costs a short lock on the cache, a lock-free counter
// increment and a histogram observation (under that child's own short mutex, in prometheus-cpp),
// and no string is built.
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "http/method.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::http {

struct Route;

class HttpMetrics {
 public:
  explicit HttpMetrics(obs::Registry& registry);

  // route == nullptr: no route matched (labelled "unmatched").
  void record(const Route* route, Method method, int status, double seconds);
  obs::Gauge& open_connections() { return open_connections_; }

 private:
  struct Key {
    const Route* route;
    Method method;
    int status;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const noexcept;
  };

  obs::Family<obs::Counter>& requests_;
  obs::Family<obs::Histogram>& durations_;
  obs::Gauge& open_connections_;
  std::mutex mutex_;
  struct Children {
    obs::Counter* counter;
    obs::Histogram* histogram;
  };
  std::unordered_map<Key, Children, KeyHash> children_;
};

}  // namespace utxoiq::http
