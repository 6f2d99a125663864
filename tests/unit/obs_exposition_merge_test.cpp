// The merge of several workers' /metrics expositions into one (obs/exposition_merge.hpp): the
// worker label on every sample (with and without labels of its own, an existing worker label
// kept), one HELP and one TYPE per family, families contiguous and in name order, a histogram's
// series in its family, label values copied byte for byte, and malformed lines left out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "obs/exposition_merge.hpp"
#include "obs/metrics.hpp"

namespace utxoiq::obs {
namespace {

std::string merge(std::vector<WorkerExposition> inputs) {
  return merge_expositions(inputs);
}

TEST(ExpositionMerge, AddsTheWorkerLabelToSamplesWithAndWithoutLabels) {
  const std::string text =
      "# HELP a_total Requests.\n# TYPE a_total counter\na_total 3\na_total{route=\"x\"} 4\n";
  EXPECT_EQ(merge({{.worker = 1, .text = text}}),
            "# HELP a_total Requests.\n# TYPE a_total counter\n"
            "a_total{worker=\"1\"} 3\na_total{worker=\"1\",route=\"x\"} 4\n");
}

TEST(ExpositionMerge, KeepsAnExistingWorkerLabelAsIs) {
  const std::string info =
      "# TYPE utxoiq_worker_info gauge\nutxoiq_worker_info{pid=\"7\",worker=\"3\"} 1\n";
  EXPECT_EQ(merge({{.worker = 0, .text = info}}),
            "# TYPE utxoiq_worker_info gauge\nutxoiq_worker_info{pid=\"7\",worker=\"3\"} 1\n");
}

TEST(ExpositionMerge, OneHelpAndTypePerFamilyWithEveryWorkersSamplesTogether) {
  const std::string zero =
      "# HELP b Gauge b.\n# TYPE b gauge\nb 1\n# HELP c_total C.\n# TYPE c_total counter\n"
      "c_total 5\n";
  const std::string one =
      "# HELP a A.\n# TYPE a gauge\na 0\n# HELP b Gauge b.\n# TYPE b gauge\nb 2\n"
      "# HELP c_total C.\n# TYPE c_total counter\nc_total 6\n";
  EXPECT_EQ(merge({{.worker = 0, .text = zero}, {.worker = 1, .text = one}}),
            "# HELP a A.\n# TYPE a gauge\na{worker=\"1\"} 0\n"
            "# HELP b Gauge b.\n# TYPE b gauge\nb{worker=\"0\"} 1\nb{worker=\"1\"} 2\n"
            "# HELP c_total C.\n# TYPE c_total counter\n"
            "c_total{worker=\"0\"} 5\nc_total{worker=\"1\"} 6\n");
}

TEST(ExpositionMerge, KeepsAHistogramsBucketsSumAndCountInItsFamily) {
  const std::string text =
      "# HELP h Latency.\n# TYPE h histogram\n"
      "h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.3\nh_count 2\n"
      "# HELP h_count_other Other.\n# TYPE h_count_other gauge\nh_count_other 1\n";
  const std::string merged = merge({{.worker = 0, .text = text}, {.worker = 1, .text = text}});
  EXPECT_EQ(merged,
            "# HELP h Latency.\n# TYPE h histogram\n"
            "h_bucket{worker=\"0\",le=\"0.1\"} 1\nh_bucket{worker=\"0\",le=\"+Inf\"} 2\n"
            "h_sum{worker=\"0\"} 0.3\nh_count{worker=\"0\"} 2\n"
            "h_bucket{worker=\"1\",le=\"0.1\"} 1\nh_bucket{worker=\"1\",le=\"+Inf\"} 2\n"
            "h_sum{worker=\"1\"} 0.3\nh_count{worker=\"1\"} 2\n"
            "# HELP h_count_other Other.\n# TYPE h_count_other gauge\n"
            "h_count_other{worker=\"0\"} 1\nh_count_other{worker=\"1\"} 1\n");
}

TEST(ExpositionMerge, CopiesEscapedLabelValuesAndHelpTextUntouched) {
  const std::string text =
      "# HELP e Says \\\\ and \\n.\n# TYPE e gauge\n"
      "e{path=\"a\\\"b\\\\c}d,e=\\n\",x=\"y\"} 1\n";
  EXPECT_EQ(merge({{.worker = 2, .text = text}}),
            "# HELP e Says \\\\ and \\n.\n# TYPE e gauge\n"
            "e{worker=\"2\",path=\"a\\\"b\\\\c}d,e=\\n\",x=\"y\"} 1\n");
}

TEST(ExpositionMerge, LeavesOutMalformedLinesWithoutFailing) {
  const std::string text =
      "# HELP g G.\n# TYPE g gauge\ng 1\n"
      "g{a=\"unterminated} 1\n"  // no closing quote
      "g{a=b} 1\n"               // unquoted value
      "{a=\"b\"} 1\n"            // no name
      "g\n"                      // no value
      "g not-a-number\n"
      "g{a=\"b\"}1\n"  // no space before the value
      "# TYPE g\n"     // a TYPE without a type
      "garbage \xff\xfe\n"
      "g{a=\"b\"} 2 1700000000000\n"  // a timestamp is kept
      "g{a=\"c\",} +Inf\n";           // a trailing comma is allowed
  EXPECT_EQ(merge({{.worker = 0, .text = text}, {.worker = 1, .text = "g{a=\"tr"}}),
            "# HELP g G.\n# TYPE g gauge\ng{worker=\"0\"} 1\n"
            "g{worker=\"0\",a=\"b\"} 2 1700000000000\ng{worker=\"0\",a=\"c\",} +Inf\n");
}

TEST(ExpositionMerge, MergesWhatTheRegistryExposes) {
  Registry registry;
  registry.counter("m_total", "M.", {"route"}).labels({"r\"1"}).inc(2);
  registry.histogram("m_seconds", "S.", {}, {0.5}).get().observe(0.1);
  const std::string merged =
      merge({{.worker = 0, .text = registry.expose()}, {.worker = 1, .text = registry.expose()}});
  EXPECT_NE(merged.find("m_total{worker=\"0\",route=\"r\\\"1\"} 2\n"), std::string::npos) << merged;
  EXPECT_NE(merged.find("m_seconds_count{worker=\"1\"} 1\n"), std::string::npos) << merged;
  EXPECT_EQ(merged.find("# TYPE m_seconds histogram\n"),
            merged.rfind("# TYPE m_seconds histogram\n"));
}

TEST(ExpositionMerge, NothingInNothingOut) {
  EXPECT_EQ(merge({}), "");
  EXPECT_EQ(merge({{.worker = 0, .text = ""}}), "");
}

}  // namespace
}  // namespace utxoiq::obs
