// The metrics facade and the text that prometheus-cpp's TextSerializer writes for it: HELP/TYPE,
// labels and their escaping, cumulative histogram buckets with +Inf, _sum and _count,
// collectors, and name checks.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/sinks/ostream_sink.h>

#include "obs/logging.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::obs {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Sends the log lines to a string for the life of the object.
class CapturedLogs {
 public:
  CapturedLogs() {
    init_logging(LogLevel::debug, true, std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
  }
  ~CapturedLogs() { init_logging(LogLevel::info); }
  std::string text() {
    flush_logs();
    return out_.str();
  }

 private:
  std::ostringstream out_;
};

TEST(Metrics, CounterWithoutLabels) {
  Registry registry;
  auto& counter = registry.counter("jobs_started_total", "Backfill jobs started.").get();
  counter.inc();
  counter.inc(2);
  counter.inc(-1);  // a counter never goes down: ignored
  EXPECT_EQ(counter.value(), 3);
  EXPECT_EQ(registry.expose(),
            "# HELP jobs_started_total Backfill jobs started.\n"
            "# TYPE jobs_started_total counter\n"
            "jobs_started_total 3\n");
}

TEST(Metrics, LabelledGaugeChildrenInLabelOrder) {
  Registry registry;
  auto& family = registry.gauge("pool_connections", "Connections by state.", {"host", "state"});
  family.labels({"primary", "idle"}).set(4);
  family.labels({"replica", "active"}).set(1);
  family.labels({"primary", "active"}).set(2.5);
  family.labels({"primary", "idle"}).dec();
  family.labels({"replica", "active"}).inc(0.25);
  EXPECT_EQ(family.labels({"primary", "idle"}).value(), 3);
  EXPECT_EQ(registry.expose(),
            "# HELP pool_connections Connections by state.\n"
            "# TYPE pool_connections gauge\n"
            "pool_connections{host=\"primary\",state=\"active\"} 2.5\n"
            "pool_connections{host=\"primary\",state=\"idle\"} 3\n"
            "pool_connections{host=\"replica\",state=\"active\"} 1.25\n");
}

// prometheus-cpp keeps labels in a std::map: they come out by name, whatever the order in which
// the family declared them (Prometheus does not care).
TEST(Metrics, LabelsAreWrittenByName) {
  Registry registry;
  registry.counter("requests_total", "Requests.", {"route", "method", "status"})
      .labels({"healthz", "GET", "200"})
      .inc();
  EXPECT_EQ(registry.expose(),
            "# HELP requests_total Requests.\n"
            "# TYPE requests_total counter\n"
            "requests_total{method=\"GET\",route=\"healthz\",status=\"200\"} 1\n");
}

TEST(Metrics, SameChildForSameLabels) {
  Registry registry;
  auto& family = registry.counter("c_total", "c", {"a"});
  Counter& x = family.labels({"x"});
  EXPECT_EQ(&x, &family.labels({"x"}));
  EXPECT_NE(&x, &family.labels({"y"}));
  // Many more children do not move the first one.
  for (int i = 0; i < 1000; ++i) family.labels({std::to_string(i)});
  x.inc(5);
  EXPECT_EQ(&x, &family.labels({"x"}));
  EXPECT_EQ(family.labels({"x"}).value(), 5);
  EXPECT_TRUE(contains(registry.expose(), "c_total{a=\"x\"} 5\n"));
  EXPECT_THROW(family.labels({"x", "y"}), std::invalid_argument);
  EXPECT_THROW(family.get(), std::invalid_argument);
}

TEST(Metrics, LabelValuesAreEscaped) {
  Registry registry;
  registry.counter("odd_total", "Help with \"quotes\".", {"path"}).labels({"a\"b\\c\nd"}).inc();
  EXPECT_EQ(registry.expose(),
            "# HELP odd_total Help with \"quotes\".\n"
            "# TYPE odd_total counter\n"
            "odd_total{path=\"a\\\"b\\\\c\\nd\"} 1\n");
}

// prometheus-cpp 1.0 writes HELP as it is, so text that would need escaping is refused.
TEST(Metrics, HelpThatNeedsEscapingIsRefused) {
  Registry registry;
  EXPECT_THROW(registry.counter("a_total", "two\nlines"), std::invalid_argument);
  EXPECT_THROW(registry.gauge("b", "back\\slash"), std::invalid_argument);
  Exposition exposition;
  EXPECT_THROW(exposition.gauge("c", "two\nlines", 1), std::invalid_argument);
  EXPECT_EQ(registry.expose(), "");
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Registry registry;
  auto& family = registry.histogram("latency_seconds", "Latency.", {"route"}, {0.1, 0.5, 1});
  auto& histogram = family.labels({"r"});
  for (double v : {0.05, 0.1, 0.3, 0.7, 2.0}) histogram.observe(v);
  // prometheus-cpp writes _count and _sum first, then the buckets; a bound is inclusive.
  EXPECT_EQ(registry.expose(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_count{route=\"r\"} 5\n"
            "latency_seconds_sum{route=\"r\"} 3.15\n"
            "latency_seconds_bucket{route=\"r\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{route=\"r\",le=\"0.5\"} 3\n"
            "latency_seconds_bucket{route=\"r\",le=\"1\"} 4\n"
            "latency_seconds_bucket{route=\"r\",le=\"+Inf\"} 5\n");
  EXPECT_EQ(histogram.count(), 5u);
  EXPECT_DOUBLE_EQ(histogram.sum(), 3.15);
  EXPECT_EQ(family.buckets(), (std::vector<double>{0.1, 0.5, 1}));
}

TEST(Metrics, HistogramWithoutLabelsAndDefaultBuckets) {
  Registry registry;
  registry.histogram("query_seconds", "Query time.").get().observe(0.003);
  const auto text = registry.expose();
  EXPECT_TRUE(contains(text, "# TYPE query_seconds histogram\nquery_seconds_count 1\n")) << text;
  EXPECT_TRUE(contains(text, "\nquery_seconds_sum 0.003\n")) << text;
  EXPECT_TRUE(contains(text, "\nquery_seconds_bucket{le=\"0.0005\"} 0\n")) << text;
  EXPECT_TRUE(contains(text, "\nquery_seconds_bucket{le=\"0.0025\"} 0\n")) << text;
  EXPECT_TRUE(contains(text, "\nquery_seconds_bucket{le=\"0.005\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "\nquery_seconds_bucket{le=\"10\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "\nquery_seconds_bucket{le=\"+Inf\"} 1\n")) << text;
  // One line per default bucket, +Inf, _sum and _count.
  EXPECT_EQ(occurrences(text, "query_seconds_bucket{"), default_latency_buckets().size() + 1);
  EXPECT_EQ(occurrences(text, "\nquery_seconds"), default_latency_buckets().size() + 3);
}

TEST(Metrics, HistogramBucketsMustAscend) {
  Registry registry;
  EXPECT_THROW(registry.histogram("h1", "h", {}, {1, 0.5}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("h2", "h", {}, {1, 1}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("h3", "h", {}, {NAN, 1}), std::invalid_argument);
  // A trailing +Inf is the implicit one: it is not written twice.
  auto& with_inf = registry.histogram("h4", "h", {}, {1, INFINITY});
  EXPECT_EQ(with_inf.buckets(), std::vector<double>{1});
  with_inf.get().observe(5);
  EXPECT_EQ(registry.expose(),
            "# HELP h4 h\n"
            "# TYPE h4 histogram\n"
            "h4_count 1\n"
            "h4_sum 5\n"
            "h4_bucket{le=\"1\"} 0\n"
            "h4_bucket{le=\"+Inf\"} 1\n");
}

// Families come out by name whatever their type or the order of registration; values as
// prometheus-cpp writes them (Prometheus reads "Nan" like "NaN").
TEST(Metrics, FamiliesInNameOrderAndSpecialValues) {
  Registry registry;
  registry.histogram("d_seconds", "d", {}, {1}).get().observe(0.5);
  registry.gauge("b_gauge", "b").get().set(NAN);
  registry.counter("e_total", "e").get().inc(123456789012);
  registry.gauge("a_gauge", "a").get().set(-INFINITY);
  registry.gauge("c_gauge", "c").get().set(1e21);
  EXPECT_EQ(registry.expose(),
            "# HELP a_gauge a\n# TYPE a_gauge gauge\na_gauge -Inf\n"
            "# HELP b_gauge b\n# TYPE b_gauge gauge\nb_gauge Nan\n"
            "# HELP c_gauge c\n# TYPE c_gauge gauge\nc_gauge 1e+21\n"
            "# HELP d_seconds d\n# TYPE d_seconds histogram\nd_seconds_count 1\n"
            "d_seconds_sum 0.5\nd_seconds_bucket{le=\"1\"} 1\nd_seconds_bucket{le=\"+Inf\"} 1\n"
            "# HELP e_total e\n# TYPE e_total counter\ne_total 123456789012\n");
}

TEST(Metrics, ReRegisteringReturnsTheSameFamilyOrThrows) {
  Registry registry;
  auto& first = registry.counter("x_total", "x", {"a"});
  EXPECT_EQ(&first, &registry.counter("x_total", "x", {"a"}));
  EXPECT_THROW(registry.counter("x_total", "x", {"b"}), std::invalid_argument);
  EXPECT_THROW(registry.counter("x_total", "x"), std::invalid_argument);
  EXPECT_THROW(registry.gauge("x_total", "x", {"a"}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("x_total", "x", {"a"}), std::invalid_argument);
  auto& h = registry.histogram("h", "h", {}, {1, 2});
  EXPECT_EQ(&h, &registry.histogram("h", "h", {}, {1, 2}));
  EXPECT_THROW(registry.histogram("h", "h", {}, {1, 3}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("h", "h"), std::invalid_argument);
}

TEST(Metrics, InvalidNamesAreRefused) {
  Registry registry;
  EXPECT_THROW(registry.counter("1abc", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("a-b", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("", "x"), std::invalid_argument);
  EXPECT_THROW(registry.gauge("__reserved", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok", "x", {"bad-label"}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok", "x", {"a:b"}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok", "x", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok", "x", {""}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok", "x", {"a", "a"}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("ok", "x", {"le"}), std::invalid_argument);
  // Colons are fine in metric names (recording rules use them), and le outside histograms.
  registry.counter("utxoiq:http_requests_total", "x").get().inc();
  registry.gauge("ok", "x", {"le"}).labels({"1"}).set(1);
  EXPECT_EQ(registry.expose(),
            "# HELP ok x\n# TYPE ok gauge\nok{le=\"1\"} 1\n"
            "# HELP utxoiq:http_requests_total x\n# TYPE utxoiq:http_requests_total counter\n"
            "utxoiq:http_requests_total 1\n");

  Exposition exposition;
  EXPECT_THROW(exposition.gauge("bad-name", "x", 1), std::invalid_argument);
  EXPECT_THROW(exposition.gauge("good", "x", 1, {{"bad-label", "v"}}), std::invalid_argument);
  EXPECT_THROW(exposition.add("h", "x", MetricType::histogram, 1), std::invalid_argument);
  EXPECT_FALSE(exposition.has("bad-name"));
  EXPECT_FALSE(exposition.has("good"));
  EXPECT_FALSE(exposition.has("h"));
}

TEST(Metrics, CollectorsAddScrapeTimeSamplesGroupedByName) {
  Registry registry;
  registry.counter("served_total", "served").get().inc(7);
  int calls = 0;
  registry.add_collector([&](Exposition& out) {
    ++calls;
    out.gauge("pool_size", "Pool size.", 5, {{"host", "primary"}});
    out.counter("cache_hits_total", "Cache hits.", 11, {{"cache", "l1"}});
  });
  registry.add_collector([](Exposition& out) {
    out.gauge("pool_size", "Pool size.", 3, {{"host", "replica \"1\""}});
    out.gauge("pool_size", "Pool size.", 1, {{"host", "a-replica"}});
  });
  EXPECT_EQ(registry.expose(),
            "# HELP cache_hits_total Cache hits.\n"
            "# TYPE cache_hits_total counter\n"
            "cache_hits_total{cache=\"l1\"} 11\n"
            "# HELP pool_size Pool size.\n"
            "# TYPE pool_size gauge\n"
            "pool_size{host=\"a-replica\"} 1\n"
            "pool_size{host=\"primary\"} 5\n"
            "pool_size{host=\"replica \\\"1\\\"\"} 3\n"
            "# HELP served_total served\n"
            "# TYPE served_total counter\n"
            "served_total 7\n");
  EXPECT_EQ(calls, 1);
  registry.expose();
  EXPECT_EQ(calls, 2);  // computed at every scrape
}

TEST(Metrics, CollectorThatThrowsIsLeftOutAndLogged) {
  CapturedLogs logs;
  Registry registry;
  registry.add_collector([](Exposition& out) { out.gauge("kept", "Kept.", 1); });
  registry.add_collector([](Exposition& out) {
    out.gauge("half_done", "Added before the throw.", 2);
    out.gauge("kept", "Kept.", 3, {{"from", "broken"}});
    throw std::runtime_error("broken collector");
  });
  registry.add_collector([](Exposition& out) { out.gauge("bad-name", "Invalid.", 4); });
  EXPECT_EQ(registry.expose(), "# HELP kept Kept.\n# TYPE kept gauge\nkept 1\n");
  const auto lines = logs.text();
  EXPECT_EQ(occurrences(lines, "metrics collector failed"), 2u) << lines;
  EXPECT_TRUE(contains(lines, "broken collector")) << lines;
  EXPECT_TRUE(contains(lines, "invalid metric name: bad-name")) << lines;
}

TEST(Metrics, CollectorMayNotShadowARegisteredFamily) {
  CapturedLogs logs;
  Registry registry;
  registry.gauge("dup", "registered").get().set(1);
  registry.counter("dup_unused_total", "registered, no child yet");
  registry.add_collector([](Exposition& out) {
    out.gauge("dup", "collected", 2);
    out.counter("dup_unused_total", "collected", 3);
    out.gauge("other", "collected", 4);
  });
  EXPECT_EQ(registry.expose(),
            "# HELP dup registered\n# TYPE dup gauge\ndup 1\n"
            "# HELP other collected\n# TYPE other gauge\nother 4\n");
  const auto lines = logs.text();
  EXPECT_EQ(occurrences(lines, "reuses a registered name"), 2u) << lines;
  EXPECT_TRUE(contains(lines, "\"metric\":\"dup\"")) << lines;
  EXPECT_TRUE(contains(lines, "\"metric\":\"dup_unused_total\"")) << lines;
}

TEST(Metrics, ExpositionMergeGroupsByName) {
  Exposition a;
  a.gauge("g", "first help", 1, {{"i", "1"}});
  Exposition b;
  b.counter("g", "second help", 2, {{"i", "2"}});
  b.counter("c_total", "c", 3);
  a.merge(std::move(b));
  ASSERT_EQ(a.families().size(), 2u);
  const auto& g = a.families().at("g");
  EXPECT_EQ(g.help, "first help");
  EXPECT_EQ(g.type, MetricType::gauge);
  ASSERT_EQ(g.samples.size(), 2u);
  EXPECT_EQ(g.samples[1].second, 2);
  EXPECT_TRUE(a.has("c_total"));
  EXPECT_TRUE(a.erase("c_total"));
  EXPECT_FALSE(a.erase("c_total"));
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Registry registry;
  auto& family = registry.counter("parallel_total", "p", {"t"});
  auto& histogram = registry.histogram("parallel_seconds", "p", {}, {1}).get();
  auto& gauge = registry.gauge("parallel_gauge", "p").get();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto& counter = family.labels({"shared"});
      for (int i = 0; i < 10000; ++i) {
        counter.inc();
        gauge.inc();
        histogram.observe(0.5);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(family.labels({"shared"}).value(), 40000);
  EXPECT_EQ(gauge.value(), 40000);
  EXPECT_EQ(histogram.count(), 40000u);
  EXPECT_EQ(histogram.sum(), 20000);
  EXPECT_TRUE(contains(registry.expose(), "parallel_seconds_bucket{le=\"1\"} 40000\n"));
}

TEST(Metrics, DefaultRegistryIsOneObject) {
  EXPECT_EQ(&default_registry(), &default_registry());
}

}  // namespace
}  // namespace utxoiq::obs
