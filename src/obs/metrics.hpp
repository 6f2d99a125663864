#pragma once
// Prometheus metrics: counters, gauges and fixed-bucket histograms with labels, exposed in the
// text format 0.0.4 on GET /metrics.
//
// Our own small registry because prometheus-cpp (the design's first choice) is not packaged in
// Debian and nothing may be vendored or downloaded at build time. It does only what we need:
//  - families are created once (a mutex guards family and child creation);
//  - a child (one label-value combination) is a stable object: callers look it up once, keep the
//    reference, and update it lock-free with atomics on the hot path;
//  - collectors add figures computed at scrape time (pool and cache statistics).
//
//   auto& requests = obs::default_registry().counter("http_requests_total", "HTTP requests",
//                                                   {"route", "method", "status"});
//   obs::Counter& ok = requests.labels({"healthz", "GET", "200"});  // keep this reference
//   ok.inc();
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace utxoiq::obs {

enum class MetricType { counter, gauge, histogram };

// A value that only goes up (requests served, bytes written).
class Counter {
 public:
  void inc(double amount = 1.0) { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A value that goes up and down (open connections, pool size).
class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1.0) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1.0) { value_.fetch_sub(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Observations counted into fixed buckets (upper bounds, ascending; +Inf is implicit).
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);

  const std::vector<double>& upper_bounds() const { return bounds_; }
  // Observations per bucket, NOT cumulative; the last entry is the +Inf bucket.
  std::vector<std::uint64_t> bucket_counts() const;
  std::uint64_t count() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1 buckets
  std::atomic<double> sum_{0.0};
};

// Buckets for request and query latency in seconds, 0.5 ms to 10 s.
std::vector<double> default_latency_buckets();

// Label names ["route", "method"] with values ["healthz", "GET"]; a family holds one child per
// distinct combination of values. Children are never removed, so references stay valid for the
// life of the registry.
template <typename Metric>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> buckets = {})
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        buckets_(std::move(buckets)) {}

  // The child for these label values (as many as label names, in the same order); created on
  // first use. Throws std::invalid_argument on a wrong number of values.
  Metric& labels(std::span<const std::string_view> values);
  Metric& labels(std::initializer_list<std::string_view> values) {
    return labels(std::span<const std::string_view>(values.begin(), values.size()));
  }
  // The child of a family without labels.
  Metric& get() { return labels(std::span<const std::string_view>()); }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& buckets() const { return buckets_; }

  // Calls f(label values, metric) for every child, in label-value order, under the lock.
  template <typename F>
  void for_each(F&& f) const {
    std::lock_guard lock(mutex_);
    for (const auto& [values, metric] : children_) f(values, *metric);
  }

 private:
  // Lets a lookup compare the stored vector<string> keys with a span of string_view, so finding
  // an existing child allocates nothing.
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(),
          [](std::string_view x, std::string_view y) { return x < y; });
    }
  };

  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> buckets_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, KeyLess> children_;
};

// Samples that a collector computes at scrape time. Samples of one name may be added in any order
// and by several collectors; they are written together under one HELP/TYPE.
class Exposition {
 public:
  using LabelPairs = std::vector<std::pair<std::string, std::string>>;

  void add(std::string_view name, std::string_view help, MetricType type, double value,
           LabelPairs labels = {});
  void gauge(std::string_view name, std::string_view help, double value, LabelPairs labels = {}) {
    add(name, help, MetricType::gauge, value, std::move(labels));
  }
  void counter(std::string_view name, std::string_view help, double value, LabelPairs labels = {}) {
    add(name, help, MetricType::counter, value, std::move(labels));
  }

  // Appends the samples in the text format.
  void write(std::string& out) const;
  bool has(std::string_view name) const { return families_.find(name) != families_.end(); }
  // Drops the samples of that name; true when there were any.
  bool erase(std::string_view name) {
    const auto it = families_.find(name);
    if (it == families_.end()) return false;
    families_.erase(it);
    return true;
  }

 private:
  struct CollectedFamily {
    std::string help;
    MetricType type = MetricType::gauge;
    std::vector<std::pair<LabelPairs, double>> samples;
  };
  std::map<std::string, CollectedFamily, std::less<>> families_;
};

class Registry {
 public:
  using Collector = std::function<void(Exposition&)>;

  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Returns the family of that name, creating it on first call. Asking again with the same type,
  // label names (and buckets) returns the same family; anything else, or an invalid metric or
  // label name, throws std::invalid_argument.
  Family<Counter>& counter(const std::string& name, const std::string& help,
                           const std::vector<std::string>& label_names = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help,
                       const std::vector<std::string>& label_names = {});
  Family<Histogram>& histogram(const std::string& name, const std::string& help,
                               const std::vector<std::string>& label_names = {},
                               std::vector<double> buckets = default_latency_buckets());

  // Runs at every expose(), on the scraping thread; must be quick and must not throw (an
  // exception is logged and that collector's samples are left out).
  void add_collector(Collector collector);

  // The whole registry in Prometheus text format 0.0.4; families in name order.
  std::string expose() const;

 private:
  struct Entry {
    MetricType type;
    std::unique_ptr<Family<Counter>> counter;
    std::unique_ptr<Family<Gauge>> gauge;
    std::unique_ptr<Family<Histogram>> histogram;
  };
  Entry& entry_for(const std::string& name, const std::vector<std::string>& label_names,
                   MetricType type);

  mutable std::mutex mutex_;
  std::map<std::string, Entry> families_;
  std::vector<Collector> collectors_;
};

// The process-wide registry, served on /metrics.
Registry& default_registry();

// Content-Type of the exposition.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// Helpers for the text format, exposed for tests and collectors.
bool is_valid_metric_name(std::string_view name);
bool is_valid_label_name(std::string_view name);
// Label value escaping: backslash, double quote and newline.
void append_escaped_label_value(std::string& out, std::string_view value);
// Sample values: integers without a fraction, +Inf / -Inf / NaN as Prometheus spells them.
void append_sample_value(std::string& out, double value);

template <typename Metric>
Metric& Family<Metric>::labels(std::span<const std::string_view> values) {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + ": expected " +
                                std::to_string(label_names_.size()) + " label values, got " +
                                std::to_string(values.size()));
  }
  std::lock_guard lock(mutex_);
  auto it = children_.find(values);
  if (it != children_.end()) return *it->second;
  std::vector<std::string> key(values.begin(), values.end());
  std::unique_ptr<Metric> metric;
  if constexpr (std::is_same_v<Metric, Histogram>) {
    metric = std::make_unique<Histogram>(buckets_);
  } else {
    metric = std::make_unique<Metric>();
  }
  auto& ref = *metric;
  children_.emplace(std::move(key), std::move(metric));
  return ref;
}

}  // namespace utxoiq::obs
