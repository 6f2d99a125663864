// Which times have a partition (store/partition_coverage.hpp): ranges include their start and
// exclude their end; nothing is reported before the first report of the maintenance.
#include "store/partition_coverage.hpp"

#include <gtest/gtest.h>

#include "util/rfc3339.hpp"

namespace utxoiq::store {
namespace {

using namespace std::chrono_literals;

Timestamp at(const char* text) {
  return parse_rfc3339(text).value();
}

TEST(PartitionCoverage, RangesIncludeTheirStartAndExcludeTheirEnd) {
  PartitionCoverage coverage;
  const Timestamp d1 = at("2026-11-22T00:00:00Z");
  // Given out of order, with a gap of one day.
  coverage.replace({{d1 + 48h, d1 + 72h}, {d1, d1 + 24h}});
  EXPECT_TRUE(coverage.known());
  EXPECT_TRUE(coverage.covers(d1));
  EXPECT_TRUE(coverage.covers(d1 + 24h - 1us));
  EXPECT_FALSE(coverage.covers(d1 + 24h));
  EXPECT_FALSE(coverage.covers(d1 + 47h));
  EXPECT_TRUE(coverage.covers(d1 + 48h));
  EXPECT_FALSE(coverage.covers(d1 + 72h));
  EXPECT_FALSE(coverage.covers(d1 - 1us));
}

TEST(PartitionCoverage, CountsTheRecordsNoPartitionCovers) {
  PartitionCoverage coverage;
  const Timestamp d1 = at("2026-11-22T00:00:00Z");
  std::vector<domain::MetricRecord> records(3);
  records[0].metric.timestamp = d1 + 1h;
  records[1].metric.timestamp = d1 - 1h;
  records[2].metric.timestamp = d1 + 25h;
  EXPECT_EQ(coverage.count_uncovered(records), 0u);  // unknown: nothing to report yet
  coverage.replace({{d1, d1 + 24h}});
  EXPECT_EQ(coverage.count_uncovered(records), 2u);
  coverage.replace({});
  EXPECT_EQ(coverage.count_uncovered(records), 3u);
}

}  // namespace
}  // namespace utxoiq::store
