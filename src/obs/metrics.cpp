// The metrics facade over prometheus-cpp (see metrics.hpp). The only file that includes
// prometheus-cpp's headers.
#include "obs/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include <prometheus/check_names.h>
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "obs/logging.hpp"

namespace utxoiq::obs {
namespace {

// prometheus-cpp's metric behind each of ours.
template <typename Metric>
struct Native;
template <>
struct Native<Counter> {
  using type = prometheus::Counter;
  static auto builder() { return prometheus::BuildCounter(); }
};
template <>
struct Native<Gauge> {
  using type = prometheus::Gauge;
  static auto builder() { return prometheus::BuildGauge(); }
};
template <>
struct Native<Histogram> {
  using type = prometheus::Histogram;
  static auto builder() { return prometheus::BuildHistogram(); }
};

// prometheus-cpp 1.0 writes HELP text as it is; a newline would end the line early and a
// backslash would be read back as an escape, so neither is accepted.
void check_help(std::string_view name, std::string_view help) {
  if (help.find_first_of("\n\\") != std::string_view::npos) {
    throw std::invalid_argument("metric " + std::string(name) +
                                ": help text may not contain a newline or a backslash");
  }
}

void check_names(const std::string& name, const std::string& help,
                 const std::vector<std::string>& label_names, bool histogram) {
  if (!prometheus::CheckMetricName(name)) {
    throw std::invalid_argument("invalid metric name: " + name);
  }
  check_help(name, help);
  for (std::size_t i = 0; i < label_names.size(); ++i) {
    const auto& label = label_names[i];
    // CheckLabelName refuses the reserved __ prefix too.
    if (!prometheus::CheckLabelName(label)) {
      throw std::invalid_argument("metric " + name + ": invalid label name: " + label);
    }
    // prometheus-cpp 1.0 does not refuse it, but the serializer adds its own le.
    if (histogram && label == "le") {
      throw std::invalid_argument("metric " + name + ": a histogram cannot have a label le");
    }
    if (std::find(label_names.begin(), label_names.begin() + static_cast<std::ptrdiff_t>(i),
                  label) != label_names.begin() + static_cast<std::ptrdiff_t>(i)) {
      throw std::invalid_argument("metric " + name + ": label repeated: " + label);
    }
  }
}

// Drops a trailing +Inf (prometheus-cpp adds its own) and refuses NaN; prometheus::Histogram
// refuses bounds that are not strictly ascending.
std::vector<double> checked_buckets(std::vector<double> buckets) {
  if (std::any_of(buckets.begin(), buckets.end(), [](double b) { return std::isnan(b); })) {
    throw std::invalid_argument("histogram buckets must be numbers");
  }
  if (!buckets.empty() && std::isinf(buckets.back()) && buckets.back() > 0) buckets.pop_back();
  prometheus::Histogram probe(buckets);
  return buckets;
}

// The collectors' samples as prometheus-cpp metric families.
std::vector<prometheus::MetricFamily> to_metric_families(const Exposition& exposition) {
  std::vector<prometheus::MetricFamily> out;
  out.reserve(exposition.families().size());
  for (const auto& [name, family] : exposition.families()) {
    const bool counter = family.type == MetricType::counter;
    prometheus::MetricFamily& mf = out.emplace_back();
    mf.name = name;
    mf.help = family.help;
    mf.type = counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge;
    mf.metric.reserve(family.samples.size());
    for (const auto& [labels, value] : family.samples) {
      prometheus::ClientMetric& metric = mf.metric.emplace_back();
      for (const auto& [label, label_value] : labels) metric.label.push_back({label, label_value});
      (counter ? metric.counter.value : metric.gauge.value) = value;
    }
  }
  return out;
}

// The scrape-time collectors, as one more input of the serializer.
class CollectorSet final : public prometheus::Collectable {
 public:
  void add(Registry::Collector collector) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collector));
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<Registry::Collector> collectors;
    {
      // Collectors run without the lock: they may take locks of their own.
      std::lock_guard lock(mutex_);
      collectors = collectors_;
    }
    Exposition collected;
    for (const auto& collector : collectors) {
      // Each collector writes into its own exposition, so one that throws halfway leaves
      // nothing behind.
      Exposition one;
      try {
        collector(one);
      } catch (const std::exception& e) {
        log_error("metrics collector failed", {{"error", e.what()}});
        continue;
      } catch (...) {
        log_error("metrics collector failed", {{"error", "unknown exception"}});
        continue;
      }
      collected.merge(std::move(one));
    }
    return to_metric_families(collected);
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Registry::Collector> collectors_;
};

// Lets a child lookup compare the stored vector<string> keys with a span of string_view, so
// finding an existing child allocates nothing.
struct KeyLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

}  // namespace

// --- metrics ---

void Counter::inc(double amount) {
  metric_->Increment(amount);
}
double Counter::value() const {
  return metric_->Value();
}

void Gauge::set(double value) {
  metric_->Set(value);
}
void Gauge::inc(double amount) {
  metric_->Increment(amount);
}
void Gauge::dec(double amount) {
  metric_->Decrement(amount);
}
double Gauge::value() const {
  return metric_->Value();
}

void Histogram::observe(double value) {
  metric_->Observe(value);
}
std::uint64_t Histogram::count() const {
  return metric_->Collect().histogram.sample_count;
}
double Histogram::sum() const {
  return metric_->Collect().histogram.sample_sum;
}

std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

// --- families ---

template <typename Metric>
struct Family<Metric>::Impl {
  using NativeMetric = typename Native<Metric>::type;

  Impl(prometheus::Family<NativeMetric>& family, std::string name, std::string help,
       std::vector<std::string> label_names, std::vector<double> buckets)
      : family(family),
        name(std::move(name)),
        help(std::move(help)),
        label_names(std::move(label_names)),
        buckets(std::move(buckets)) {}

  prometheus::Family<NativeMetric>& family;
  std::string name;
  std::string help;
  std::vector<std::string> label_names;
  std::vector<double> buckets;
  std::mutex mutex;
  // Our handle for each of the prometheus family's children, by label values.
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, KeyLess> children;
};

template <typename Metric>
Family<Metric>::Family(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

template <typename Metric>
Family<Metric>::~Family() = default;

template <typename Metric>
Metric& Family<Metric>::labels(std::span<const std::string_view> values) {
  Impl& impl = *impl_;
  if (values.size() != impl.label_names.size()) {
    throw std::invalid_argument("metric " + impl.name + ": expected " +
                                std::to_string(impl.label_names.size()) + " label values, got " +
                                std::to_string(values.size()));
  }
  std::lock_guard lock(impl.mutex);
  const auto it = impl.children.find(values);
  if (it != impl.children.end()) return *it->second;
  prometheus::Labels labels;
  for (std::size_t i = 0; i < values.size(); ++i) {
    labels.emplace(impl.label_names[i], std::string(values[i]));
  }
  // Family::Add returns a reference that stays valid until the family is destroyed.
  typename Impl::NativeMetric* native = nullptr;
  if constexpr (std::is_same_v<Metric, Histogram>) {
    native = &impl.family.Add(labels, impl.buckets);
  } else {
    native = &impl.family.Add(labels);
  }
  auto child = std::make_unique<Metric>(*native);
  Metric& ref = *child;
  impl.children.emplace(std::vector<std::string>(values.begin(), values.end()), std::move(child));
  return ref;
}

template <typename Metric>
const std::string& Family<Metric>::name() const {
  return impl_->name;
}
template <typename Metric>
const std::string& Family<Metric>::help() const {
  return impl_->help;
}
template <typename Metric>
const std::vector<std::string>& Family<Metric>::label_names() const {
  return impl_->label_names;
}
template <typename Metric>
const std::vector<double>& Family<Metric>::buckets() const {
  return impl_->buckets;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// --- collected samples ---

void Exposition::add(std::string_view name, std::string_view help, MetricType type, double value,
                     LabelPairs labels) {
  if (!prometheus::CheckMetricName(std::string(name))) {
    throw std::invalid_argument("invalid metric name: " + std::string(name));
  }
  check_help(name, help);
  if (type == MetricType::histogram) {
    throw std::invalid_argument("metric " + std::string(name) +
                                ": a collected sample is a counter or a gauge");
  }
  for (const auto& [label, _] : labels) {
    if (!prometheus::CheckLabelName(label)) {
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

void Exposition::merge(Exposition&& other) {
  for (auto& [name, family] : other.families_) {
    auto [it, inserted] = families_.try_emplace(name);
    if (inserted) {
      it->second = std::move(family);
      continue;
    }
    auto& samples = it->second.samples;
    samples.insert(samples.end(), std::make_move_iterator(family.samples.begin()),
                   std::make_move_iterator(family.samples.end()));
  }
  other.families_.clear();
}

// --- registry ---

struct Registry::Impl {
  using Entry = std::variant<std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>,
                             std::unique_ptr<Family<Histogram>>>;

  template <typename Metric>
  Family<Metric>& family(const std::string& name, const std::string& help,
                         const std::vector<std::string>& label_names, std::vector<double> buckets);

  // We answer a second registration ourselves; prometheus-cpp never sees one.
  prometheus::Registry registry{prometheus::Registry::InsertBehavior::Throw};
  CollectorSet collectors;
  std::mutex mutex;
  std::map<std::string, Entry, std::less<>> families;
};

template <typename Metric>
Family<Metric>& Registry::Impl::family(const std::string& name, const std::string& help,
                                       const std::vector<std::string>& label_names,
                                       std::vector<double> buckets) {
  constexpr bool is_histogram = std::is_same_v<Metric, Histogram>;
  check_names(name, help, label_names, is_histogram);
  if constexpr (is_histogram) buckets = checked_buckets(std::move(buckets));
  std::lock_guard lock(mutex);
  if (const auto it = families.find(name); it != families.end()) {
    auto* existing = std::get_if<std::unique_ptr<Family<Metric>>>(&it->second);
    if (existing == nullptr || (*existing)->label_names() != label_names) {
      throw std::invalid_argument("metric " + name +
                                  " is already registered with another type or labels");
    }
    if ((*existing)->buckets() != buckets) {
      throw std::invalid_argument("metric " + name + " is already registered with other buckets");
    }
    return **existing;
  }
  auto& native = Native<Metric>::builder().Name(name).Help(help).Register(registry);
  auto created = std::make_unique<Family<Metric>>(std::make_unique<typename Family<Metric>::Impl>(
      native, name, help, label_names, std::move(buckets)));
  Family<Metric>& ref = *created;
  families.emplace(name, std::move(created));
  return ref;
}

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

Family<Counter>& Registry::counter(const std::string& name, const std::string& help,
                                   const std::vector<std::string>& label_names) {
  return impl_->family<Counter>(name, help, label_names, {});
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help,
                               const std::vector<std::string>& label_names) {
  return impl_->family<Gauge>(name, help, label_names, {});
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       const std::vector<std::string>& label_names,
                                       std::vector<double> buckets) {
  return impl_->family<Histogram>(name, help, label_names, std::move(buckets));
}

void Registry::add_collector(Collector collector) {
  impl_->collectors.add(std::move(collector));
}

std::string Registry::expose() const {
  // The serializer's input: the registry's families and the collectors' samples.
  std::vector<prometheus::MetricFamily> families = impl_->registry.Collect();
  std::vector<prometheus::MetricFamily> collected = impl_->collectors.Collect();
  {
    std::lock_guard lock(impl_->mutex);
    for (auto& family : collected) {
      if (impl_->families.contains(family.name)) {
        log_warn("metrics collector reuses a registered name; its samples are left out",
                 {{"metric", family.name}});
        continue;
      }
      families.push_back(std::move(family));
    }
  }
  // Families by name and children by labels, so that every scrape lists them in the same order.
  std::sort(families.begin(), families.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (auto& family : families) {
    std::sort(family.metric.begin(), family.metric.end(),
              [](const auto& a, const auto& b) { return a.label < b.label; });
  }
  return prometheus::TextSerializer().Serialize(families);
}

Registry& default_registry() {
  static Registry registry;
  return registry;
}

}  // namespace utxoiq::obs
