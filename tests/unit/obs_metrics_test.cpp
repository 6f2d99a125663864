// The metrics registry's Prometheus text exposition: HELP/TYPE, labels and their escaping,
// cumulative histogram buckets with +Inf, _sum and _count, collectors, and name checks.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

#include "obs/metrics.hpp"

namespace utxoiq::obs {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Metrics, CounterWithoutLabels) {
  Registry registry;
  auto& counter = registry.counter("jobs_started_total", "Backfill jobs started.").get();
  counter.inc();
  counter.inc(2);
  EXPECT_EQ(registry.expose(),
            "# HELP jobs_started_total Backfill jobs started.\n"
            "# TYPE jobs_started_total counter\n"
            "jobs_started_total 3\n");
}

TEST(Metrics, LabelledGauge) {
  Registry registry;
  auto& family = registry.gauge("pool_connections", "Connections by state.", {"host", "state"});
  family.labels({"primary", "idle"}).set(4);
  family.labels({"primary", "active"}).set(2.5);
  family.labels({"primary", "idle"}).dec();
  EXPECT_EQ(registry.expose(),
            "# HELP pool_connections Connections by state.\n"
            "# TYPE pool_connections gauge\n"
            "pool_connections{host=\"primary\",state=\"active\"} 2.5\n"
            "pool_connections{host=\"primary\",state=\"idle\"} 3\n");
}

TEST(Metrics, SameChildForSameLabels) {
  Registry registry;
  auto& family = registry.counter("c_total", "c", {"a"});
  EXPECT_EQ(&family.labels({"x"}), &family.labels({"x"}));
  EXPECT_NE(&family.labels({"x"}), &family.labels({"y"}));
  EXPECT_THROW(family.labels({"x", "y"}), std::invalid_argument);
  EXPECT_THROW(family.get(), std::invalid_argument);
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
  Registry registry;
  registry.counter("odd_total", "Help with \\ and\nnewline \"quotes\".", {"path"})
      .labels({"a\"b\\c\nd"})
      .inc();
  const auto text = registry.expose();
  EXPECT_TRUE(contains(text, "# HELP odd_total Help with \\\\ and\\nnewline \"quotes\".\n"))
      << text;
  EXPECT_TRUE(contains(text, "odd_total{path=\"a\\\"b\\\\c\\nd\"} 1\n")) << text;
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Registry registry;
  auto& histogram =
      registry.histogram("latency_seconds", "Latency.", {"route"}, {0.1, 0.5, 1}).labels({"r"});
  for (double v : {0.05, 0.1, 0.3, 0.7, 2.0}) histogram.observe(v);
  EXPECT_EQ(registry.expose(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"r\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{route=\"r\",le=\"0.5\"} 3\n"
            "latency_seconds_bucket{route=\"r\",le=\"1\"} 4\n"
            "latency_seconds_bucket{route=\"r\",le=\"+Inf\"} 5\n"
            "latency_seconds_sum{route=\"r\"} 3.15\n"
            "latency_seconds_count{route=\"r\"} 5\n");
  EXPECT_EQ(histogram.count(), 5u);
}

TEST(Metrics, HistogramWithoutLabelsAndDefaultBuckets) {
  Registry registry;
  registry.histogram("query_seconds", "Query time.").get().observe(0.003);
  const auto text = registry.expose();
  EXPECT_TRUE(contains(text, "query_seconds_bucket{le=\"0.0025\"} 0\n")) << text;
  EXPECT_TRUE(contains(text, "query_seconds_bucket{le=\"0.005\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "query_seconds_bucket{le=\"10\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "query_seconds_bucket{le=\"+Inf\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "query_seconds_count 1\n")) << text;
}

TEST(Metrics, HistogramBucketsMustAscend) {
  EXPECT_THROW(Histogram({1, 0.5}), std::invalid_argument);
  EXPECT_THROW(Histogram({1, 1}), std::invalid_argument);
  Histogram with_inf({1, INFINITY});  // a trailing +Inf is the implicit one
  EXPECT_EQ(with_inf.upper_bounds().size(), 1u);
}

TEST(Metrics, FamiliesInNameOrderAndSpecialValues) {
  Registry registry;
  registry.gauge("b_gauge", "b").get().set(NAN);
  registry.gauge("a_gauge", "a").get().set(-INFINITY);
  registry.gauge("c_gauge", "c").get().set(1e21);
  const auto text = registry.expose();
  EXPECT_LT(text.find("a_gauge"), text.find("b_gauge"));
  EXPECT_LT(text.find("b_gauge"), text.find("c_gauge"));
  EXPECT_TRUE(contains(text, "a_gauge -Inf\n"));
  EXPECT_TRUE(contains(text, "b_gauge NaN\n"));
  EXPECT_TRUE(contains(text, "c_gauge 1e+21\n"));
}

TEST(Metrics, ReRegisteringReturnsTheSameFamilyOrThrows) {
  Registry registry;
  auto& first = registry.counter("x_total", "x", {"a"});
  EXPECT_EQ(&first, &registry.counter("x_total", "x", {"a"}));
  EXPECT_THROW(registry.counter("x_total", "x", {"b"}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("x_total", "x", {"a"}), std::invalid_argument);
  registry.histogram("h", "h", {}, {1, 2});
  EXPECT_THROW(registry.histogram("h", "h", {}, {1, 3}), std::invalid_argument);
}

TEST(Metrics, InvalidNamesAreRefused) {
  Registry registry;
  EXPECT_THROW(registry.counter("1abc", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("a-b", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok", "x", {"bad-label"}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok2", "x", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok3", "x", {"a", "a"}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("h", "x", {"le"}), std::invalid_argument);
  EXPECT_TRUE(is_valid_metric_name("utxoiq:http_requests_total"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
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
  });
  registry.add_collector([](Exposition&) { throw std::runtime_error("broken collector"); });
  const auto text = registry.expose();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(contains(text, "served_total 7\n"));
  EXPECT_TRUE(contains(text,
                       "# HELP pool_size Pool size.\n"
                       "# TYPE pool_size gauge\n"
                       "pool_size{host=\"primary\"} 5\n"
                       "pool_size{host=\"replica \\\"1\\\"\"} 3\n"))
      << text;
  EXPECT_TRUE(
      contains(text, "# TYPE cache_hits_total counter\ncache_hits_total{cache=\"l1\"} 11\n"));
  registry.expose();
  EXPECT_EQ(calls, 2);  // computed at every scrape
}

TEST(Metrics, CollectorMayNotShadowARegisteredFamily) {
  Registry registry;
  registry.gauge("dup", "registered").get().set(1);
  registry.add_collector([](Exposition& out) { out.gauge("dup", "collected", 2); });
  const auto text = registry.expose();
  EXPECT_TRUE(contains(text, "dup 1\n"));
  EXPECT_FALSE(contains(text, "dup 2\n"));
  EXPECT_EQ(text.find("# TYPE dup"), text.rfind("# TYPE dup"));
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Registry registry;
  auto& family = registry.counter("parallel_total", "p", {"t"});
  auto& histogram = registry.histogram("parallel_seconds", "p", {}, {1}).get();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto& counter = family.labels({"shared"});
      for (int i = 0; i < 10000; ++i) {
        counter.inc();
        histogram.observe(0.5);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(family.labels({"shared"}).value(), 40000);
  EXPECT_EQ(histogram.count(), 40000u);
  EXPECT_EQ(histogram.sum(), 20000);
}

TEST(Metrics, DefaultRegistryIsOneObject) {
  EXPECT_EQ(&default_registry(), &default_registry());
}

}  // namespace
}  // namespace utxoiq::obs
