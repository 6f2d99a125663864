// The metrics registry and its text exposition (see metrics.hpp; why our own: prometheus-cpp is
// not in Debian). Format: https://prometheus.io/docs/instrumenting/exposition_formats/ (0.0.4).
#include "obs/metrics.hpp"

#include <cmath>
#include <exception>

#include <fmt/format.h>

#include "obs/logging.hpp"

namespace utxoiq::obs {
namespace {

std::string_view type_name(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
  }
  return "untyped";
}

// HELP text escaping: backslash and newline only (quotes stay as they are).
void append_help(std::string& out, std::string_view name, std::string_view help, MetricType type) {
  out.append("# HELP ").append(name).push_back(' ');
  for (char c : help) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
  out.append("\n# TYPE ").append(name).push_back(' ');
  out.append(type_name(type)).push_back('\n');
}

// name{a="x",b="y"} value — `extra` is one more label (the histogram's le) when not empty.
void append_sample(std::string& out, std::string_view name, std::string_view suffix,
                   const std::vector<std::string>& label_names,
                   const std::vector<std::string>& label_values, std::string_view extra_name,
                   std::string_view extra_value, double value) {
  out.append(name).append(suffix);
  if (!label_names.empty() || !extra_name.empty()) {
    out.push_back('{');
    bool first = true;
    for (std::size_t i = 0; i < label_names.size(); ++i) {
      if (!first) out.push_back(',');
      first = false;
      out.append(label_names[i]).append("=\"");
      append_escaped_label_value(out, label_values[i]);
      out.push_back('"');
    }
    if (!extra_name.empty()) {
      if (!first) out.push_back(',');
      out.append(extra_name).append("=\"").append(extra_value).push_back('"');
    }
    out.push_back('}');
  }
  out.push_back(' ');
  append_sample_value(out, value);
  out.push_back('\n');
}

template <typename Metric>
void write_simple_family(std::string& out, const Family<Metric>& family, MetricType type) {
  append_help(out, family.name(), family.help(), type);
  family.for_each([&](const std::vector<std::string>& values, const Metric& metric) {
    append_sample(out, family.name(), "", family.label_names(), values, "", "", metric.value());
  });
}

void write_histogram_family(std::string& out, const Family<Histogram>& family) {
  append_help(out, family.name(), family.help(), MetricType::histogram);
  const auto& bounds = family.buckets();
  std::vector<std::string> le_values;
  le_values.reserve(bounds.size());
  for (double bound : bounds) {
    std::string le;
    append_sample_value(le, bound);
    le_values.push_back(std::move(le));
  }
  family.for_each([&](const std::vector<std::string>& values, const Histogram& histogram) {
    // _count is the sum of the buckets read here, so +Inf and _count always agree even while
    // other threads observe.
    const auto counts = histogram.bucket_counts();
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      cumulative += counts[i];
      append_sample(out, family.name(), "_bucket", family.label_names(), values, "le", le_values[i],
                    static_cast<double>(cumulative));
    }
    cumulative += counts.back();
    append_sample(out, family.name(), "_bucket", family.label_names(), values, "le", "+Inf",
                  static_cast<double>(cumulative));
    append_sample(out, family.name(), "_sum", family.label_names(), values, "", "",
                  histogram.sum());
    append_sample(out, family.name(), "_count", family.label_names(), values, "", "",
                  static_cast<double>(cumulative));
  });
}

void validate_names(const std::string& name, const std::vector<std::string>& label_names,
                    MetricType type) {
  if (!is_valid_metric_name(name)) throw std::invalid_argument("invalid metric name: " + name);
  for (std::size_t i = 0; i < label_names.size(); ++i) {
    const auto& label = label_names[i];
    if (!is_valid_label_name(label) || label.starts_with("__")) {
      throw std::invalid_argument("metric " + name + ": invalid label name: " + label);
    }
    if (type == MetricType::histogram && label == "le") {
      throw std::invalid_argument("metric " + name + ": a histogram cannot have a label le");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (label_names[j] == label) {
        throw std::invalid_argument("metric " + name + ": label repeated: " + label);
      }
    }
  }
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (std::isnan(bounds_[i]) || (i > 0 && !(bounds_[i - 1] < bounds_[i]))) {
      throw std::invalid_argument("histogram buckets must be strictly ascending numbers");
    }
  }
  if (!bounds_.empty() && std::isinf(bounds_.back()) && bounds_.back() > 0) {
    bounds_.pop_back();  // +Inf is implicit
  }
}

void Histogram::observe(double value) {
  // Bucket i counts bounds_[i-1] < value <= bounds_[i]; NaN lands in +Inf.
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  const auto index = static_cast<std::size_t>(it - bounds_.begin());
  counts_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::bucket_counts() const {
  std::vector<std::uint64_t> counts(bounds_.size() + 1);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    counts[i] = counts_[i].load(std::memory_order_relaxed);
  }
  return counts;
}

std::uint64_t Histogram::count() const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
  }
  return total;
}

std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

void Exposition::add(std::string_view name, std::string_view help, MetricType type, double value,
                     LabelPairs labels) {
  if (!is_valid_metric_name(name)) {
    throw std::invalid_argument("invalid metric name: " + std::string(name));
  }
  for (const auto& [label, _] : labels) {
    if (!is_valid_label_name(label)) {
      throw std::invalid_argument("metric " + std::string(name) + ": invalid label " + label);
    }
  }
  auto [it, inserted] = families_.try_emplace(std::string(name));
  if (inserted) {
    it->second.help = std::string(help);
    it->second.type = type;
  }
  it->second.samples.emplace_back(std::move(labels), value);
}

void Exposition::write(std::string& out) const {
  for (const auto& [name, family] : families_) {
    append_help(out, name, family.help, family.type);
    for (const auto& [labels, value] : family.samples) {
      out.append(name);
      if (!labels.empty()) {
        out.push_back('{');
        for (std::size_t i = 0; i < labels.size(); ++i) {
          if (i > 0) out.push_back(',');
          out.append(labels[i].first).append("=\"");
          append_escaped_label_value(out, labels[i].second);
          out.push_back('"');
        }
        out.push_back('}');
      }
      out.push_back(' ');
      append_sample_value(out, value);
      out.push_back('\n');
    }
  }
}

Registry::Entry& Registry::entry_for(const std::string& name,
                                     const std::vector<std::string>& label_names, MetricType type) {
  validate_names(name, label_names, type);
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(name, Entry{type, nullptr, nullptr, nullptr}).first;
    return it->second;
  }
  const auto& existing = it->second;
  const std::vector<std::string>* existing_labels = nullptr;
  if (existing.counter) existing_labels = &existing.counter->label_names();
  if (existing.gauge) existing_labels = &existing.gauge->label_names();
  if (existing.histogram) existing_labels = &existing.histogram->label_names();
  if (existing.type != type || existing_labels == nullptr || *existing_labels != label_names) {
    throw std::invalid_argument("metric " + name +
                                " is already registered with another type or labels");
  }
  return it->second;
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help,
                                   const std::vector<std::string>& label_names) {
  std::lock_guard lock(mutex_);
  auto& entry = entry_for(name, label_names, MetricType::counter);
  if (!entry.counter) entry.counter = std::make_unique<Family<Counter>>(name, help, label_names);
  return *entry.counter;
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help,
                               const std::vector<std::string>& label_names) {
  std::lock_guard lock(mutex_);
  auto& entry = entry_for(name, label_names, MetricType::gauge);
  if (!entry.gauge) entry.gauge = std::make_unique<Family<Gauge>>(name, help, label_names);
  return *entry.gauge;
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       const std::vector<std::string>& label_names,
                                       std::vector<double> buckets) {
  Histogram probe(buckets);  // validates the buckets and drops a trailing +Inf
  buckets = probe.upper_bounds();
  std::lock_guard lock(mutex_);
  auto& entry = entry_for(name, label_names, MetricType::histogram);
  if (!entry.histogram) {
    entry.histogram =
        std::make_unique<Family<Histogram>>(name, help, label_names, std::move(buckets));
  } else if (entry.histogram->buckets() != buckets) {
    throw std::invalid_argument("metric " + name + " is already registered with other buckets");
  }
  return *entry.histogram;
}

void Registry::add_collector(Collector collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::expose() const {
  std::string out;
  out.reserve(16 * 1024);
  std::vector<Collector> collectors;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, entry] : families_) {
      if (entry.counter) write_simple_family(out, *entry.counter, MetricType::counter);
      if (entry.gauge) write_simple_family(out, *entry.gauge, MetricType::gauge);
      if (entry.histogram) write_histogram_family(out, *entry.histogram);
    }
    collectors = collectors_;
  }
  // Collectors run without the registry lock: they may read other locked state of their own.
  Exposition collected;
  for (const auto& collector : collectors) {
    try {
      collector(collected);
    } catch (const std::exception& e) {
      log_error("metrics collector failed", {{"error", e.what()}});
    }
  }
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, entry] : families_) {
      if (collected.erase(name)) {
        log_warn("metrics collector reuses a registered name; its samples are left out",
                 {{"metric", name}});
      }
    }
  }
  collected.write(out);
  return out;
}

Registry& default_registry() {
  static Registry registry;
  return registry;
}

bool is_valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    const bool digit = c >= '0' && c <= '9';
    if (!(letter || (digit && i > 0))) return false;
  }
  return true;
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!(letter || (digit && i > 0))) return false;
  }
  return true;
}

void append_escaped_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out.append("\\\\");
        break;
      case '"':
        out.append("\\\"");
        break;
      case '\n':
        out.append("\\n");
        break;
      default:
        out.push_back(c);
    }
  }
}

void append_sample_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out.append("NaN");
  } else if (std::isinf(value)) {
    out.append(value > 0 ? "+Inf" : "-Inf");
  } else {
    // Shortest form that reads back as the same double: 3, 0.005, 1e+21.
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

}  // namespace utxoiq::obs
