#pragma once
// Prometheus metrics: counters, gauges and histograms with labels, exposed in the text format
// 0.0.4 on GET /metrics.
//
// A thin facade over prometheus-cpp (core): the registry, the families, the metrics and the text
// serializer are prometheus-cpp's. The facade exists so that callers keep one small API (label
// values in declaration order, scrape-time collectors) and so that prometheus-cpp's headers are
// included by one .cpp only, not by the many files that include this one. What it adds:
//  - families are created once; asking again with the same type and label names returns the
//    same family, anything else throws std::invalid_argument;
//  - a child (one label-value combination) is a stable object: callers look it up once, keep the
//    reference, and update it on the hot path (counters and gauges lock-free, with atomics;
//    a histogram observation takes the child's own short mutex, as prometheus-cpp does);
//  - collectors add figures computed at scrape time (pool and cache statistics);
//  - the exposition is deterministic: families in name order, children in label order.
//
//   auto& requests = obs::default_registry().counter("http_requests_total", "HTTP requests",
//                                                   {"route", "method", "status"});
//   obs::Counter& ok = requests.labels({"healthz", "GET", "200"});  // keep this reference
//   ok.inc();
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
}  // namespace prometheus

namespace utxoiq::obs {

enum class MetricType { counter, gauge, histogram };

// The metrics below are handles to prometheus-cpp metrics, made by their Family; callers only
// ever hold references to them.

// A value that only goes up (requests served, bytes written). A negative amount is ignored.
class Counter {
 public:
  explicit Counter(prometheus::Counter& metric) : metric_(&metric) {}
  void inc(double amount = 1.0);
  double value() const;

 private:
  prometheus::Counter* metric_;
};

// A value that goes up and down (open connections, pool size).
class Gauge {
 public:
  explicit Gauge(prometheus::Gauge& metric) : metric_(&metric) {}
  void set(double value);
  void inc(double amount = 1.0);
  void dec(double amount = 1.0);
  double value() const;

 private:
  prometheus::Gauge* metric_;
};

// Observations counted into the family's buckets (upper bounds; +Inf is implicit).
class Histogram {
 public:
  explicit Histogram(prometheus::Histogram& metric) : metric_(&metric) {}
  void observe(double value);
  // Read together from one snapshot of the buckets (for tests and diagnostics; not cheap).
  std::uint64_t count() const;
  double sum() const;

 private:
  prometheus::Histogram* metric_;
};

// Buckets for request and query latency in seconds, 0.5 ms to 10 s.
std::vector<double> default_latency_buckets();

// Label names ["route", "method"] with values ["healthz", "GET"]; a family holds one child per
// distinct combination of values. Children are never removed, so references stay valid for the
// life of the registry. Made by Registry only.
template <typename Metric>
class Family {
 public:
  struct Impl;  // defined in metrics.cpp, over a prometheus::Family
  explicit Family(std::unique_ptr<Impl> impl);
  ~Family();
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  // The child for these label values (as many as label names, in the same order); created on
  // first use. Throws std::invalid_argument on a wrong number of values.
  Metric& labels(std::span<const std::string_view> values);
  Metric& labels(std::initializer_list<std::string_view> values) {
    return labels(std::span<const std::string_view>(values.begin(), values.size()));
  }
  // The child of a family without labels.
  Metric& get() { return labels(std::span<const std::string_view>()); }

  const std::string& name() const;
  const std::string& help() const;
  const std::vector<std::string>& label_names() const;
  // A histogram family's bucket upper bounds (without +Inf); empty for other families.
  const std::vector<double>& buckets() const;

 private:
  std::unique_ptr<Impl> impl_;
};

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

// Samples that a collector computes at scrape time: counters and gauges. Samples of one name may
// be added in any order and by several collectors; they are exposed together under one HELP/TYPE
// (the first help and type given for the name win).
class Exposition {
 public:
  using LabelPairs = std::vector<std::pair<std::string, std::string>>;

  // Throws std::invalid_argument on an invalid metric or label name or help text, and on
  // MetricType::histogram (a histogram is not one sample).
  void add(std::string_view name, std::string_view help, MetricType type, double value,
           LabelPairs labels = {});
  void gauge(std::string_view name, std::string_view help, double value, LabelPairs labels = {}) {
    add(name, help, MetricType::gauge, value, std::move(labels));
  }
  void counter(std::string_view name, std::string_view help, double value, LabelPairs labels = {}) {
    add(name, help, MetricType::counter, value, std::move(labels));
  }

  bool has(std::string_view name) const { return families_.find(name) != families_.end(); }
  // Drops the samples of that name; true when there were any.
  bool erase(std::string_view name) {
    const auto it = families_.find(name);
    if (it == families_.end()) return false;
    families_.erase(it);
    return true;
  }
  // Moves every sample of `other` into this exposition.
  void merge(Exposition&& other);

  struct CollectedFamily {
    std::string help;
    MetricType type = MetricType::gauge;
    std::vector<std::pair<LabelPairs, double>> samples;
  };
  // By name.
  const std::map<std::string, CollectedFamily, std::less<>>& families() const { return families_; }

 private:
  std::map<std::string, CollectedFamily, std::less<>> families_;
};

class Registry {
 public:
  using Collector = std::function<void(Exposition&)>;

  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Returns the family of that name, creating it on first call. Asking again with the same type,
  // label names (and buckets) returns the same family; anything else, an invalid metric or label
  // name, or a help text with a newline or backslash, throws std::invalid_argument. Histogram
  // buckets must be strictly ascending numbers; a trailing +Inf is dropped (it is implicit).
  Family<Counter>& counter(const std::string& name, const std::string& help,
                           const std::vector<std::string>& label_names = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help,
                       const std::vector<std::string>& label_names = {});
  Family<Histogram>& histogram(const std::string& name, const std::string& help,
                               const std::vector<std::string>& label_names = {},
                               std::vector<double> buckets = default_latency_buckets());

  // Runs at every expose(), on the scraping thread; must be quick and should not throw (an
  // exception is logged and that collector's samples are left out). Samples whose name is a
  // registered family's are left out too (and logged).
  void add_collector(Collector collector);

  // The whole registry in Prometheus text format 0.0.4, written by prometheus-cpp's
  // TextSerializer; families in name order.
  std::string expose() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The process-wide registry, served on /metrics.
Registry& default_registry();

// Content-Type of the exposition.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace utxoiq::obs
