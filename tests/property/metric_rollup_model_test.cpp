// The aggregate design as a model, checked against the definition (api.md: aggregates count only
// the points inside [start, end), each in the UTC-aligned bucket that contains it). The model is
// what the service does: points arrive in batches, each batch's hourly rollups
// (compute_hourly_rollups) are merged into the stored ones as the upsert does (count and sum
// added, min and max kept), and an aggregate combines the rollups of the whole hours of the range
// with the raw points of its partial edge hours (plan_aggregate). For random points, batches,
// ranges and intervals, the model's buckets equal those computed straight from the points.
// 100+ cases per property.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <chrono>
#include <map>
#include <tuple>
#include <vector>

#include "domain/buckets.hpp"
#include "store/internal/aggregate_plan.hpp"
#include "store/internal/metric_rollups.hpp"

namespace utxoiq::store {
namespace {

using namespace std::chrono;

// 2026-11-16 is a Monday; points spread over three weeks around it, at millisecond offsets so
// that hour, day and week boundaries are hit exactly now and then.
const Timestamp kOrigin{sys_days{year{2026} / November / 16}};
constexpr std::int64_t kSpanMs = 21LL * 24 * 3600 * 1000;

struct Totals {
  std::int64_t count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  void add(std::int64_t n, double s, double lo, double hi) {
    if (count == 0) {
      min = lo;
      max = hi;
    } else {
      min = std::min(min, lo);
      max = std::max(max, hi);
    }
    count += n;
    sum += s;
  }
  bool operator==(const Totals&) const = default;
};

using Buckets = std::map<Timestamp, Totals>;

rc::Gen<Timestamp> time_in_span() {
  return rc::gen::oneOf(
      // Anywhere, to the millisecond.
      rc::gen::map(rc::gen::inRange<std::int64_t>(-kSpanMs / 3, kSpanMs),
                   [](std::int64_t ms) { return kOrigin + milliseconds{ms}; }),
      // Exactly on an hour boundary, or a microsecond before one.
      rc::gen::map(
          rc::gen::pair(rc::gen::inRange(-168, 504), rc::gen::inRange(0, 2)),
          [](std::pair<int, int> p) { return kOrigin + hours{p.first} - microseconds{p.second}; }));
}

std::vector<domain::MetricRecord> random_points() {
  const auto count = *rc::gen::inRange(0, 120);
  std::vector<domain::MetricRecord> records;
  for (int i = 0; i < count; ++i) {
    domain::MetricRecord r;
    r.metric.service_name = *rc::gen::element<std::string>("api", "web");
    r.metric.metric_type = *rc::gen::element<std::string>("cpu", "mem");
    // Integers: sums are exact in any order, so equality is exact too.
    r.metric.metric_value = *rc::gen::inRange(-1000, 1000);
    r.metric.unit = "u";
    r.metric.timestamp = *time_in_span();
    records.push_back(std::move(r));
  }
  return records;
}

Buckets direct(const std::vector<domain::MetricRecord>& records, Timestamp start, Timestamp end,
               domain::BucketInterval interval) {
  Buckets out;
  for (const auto& r : records) {
    const auto& m = r.metric;
    if (m.service_name != "api" || m.metric_type != "cpu") continue;
    if (m.timestamp < start || m.timestamp >= end) continue;
    out[domain::bucket_start(m.timestamp, interval)].add(1, m.metric_value, m.metric_value,
                                                         m.metric_value);
  }
  return out;
}

// The stored rollups after each batch's upsert.
using RollupTable = std::map<std::tuple<std::string, std::string, Timestamp>, Totals>;

void upsert(RollupTable& table, const std::vector<HourlyRollup>& rollups) {
  for (const auto& r : rollups) {
    table[{r.service_name, r.metric_type, r.hour}].add(r.count, r.sum, r.min, r.max);
  }
}

Buckets model(const std::vector<domain::MetricRecord>& records, const RollupTable& table,
              Timestamp start, Timestamp end, domain::BucketInterval interval) {
  const AggregatePlan plan = plan_aggregate(start, end);
  RC_ASSERT(plan.start <= plan.whole_start);
  RC_ASSERT(plan.whole_start <= plan.whole_end);
  RC_ASSERT(plan.whole_end <= plan.end);
  Buckets out;
  for (const auto& [key, totals] : table) {
    const auto& [service, type, hour] = key;
    if (service != "api" || type != "cpu" || hour < plan.whole_start || hour >= plan.whole_end) {
      continue;
    }
    out[domain::bucket_start(hour, interval)].add(totals.count, totals.sum, totals.min, totals.max);
  }
  for (const auto& [from, to] :
       {std::pair{plan.start, plan.whole_start}, std::pair{plan.whole_end, plan.end}}) {
    for (const auto& [at, totals] : direct(records, from, to, interval)) {
      out[at].add(totals.count, totals.sum, totals.min, totals.max);
    }
  }
  return out;
}

RC_GTEST_PROP(MetricRollupModel, RollupsPlusRawEdgesEqualTheDefinition, ()) {
  const auto records = random_points();
  // Delivered in batches of random sizes, in random order.
  const auto shuffled =
      *rc::gen::container<std::vector<int>>(records.size(), rc::gen::arbitrary<int>());
  std::vector<std::size_t> order(records.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return shuffled[a] < shuffled[b]; });
  RollupTable table;
  for (std::size_t i = 0; i < order.size();) {
    const std::size_t size = *rc::gen::inRange<std::size_t>(1, order.size() - i + 1);
    std::vector<domain::MetricRecord> batch;
    for (std::size_t j = i; j < i + size; ++j) batch.push_back(records[order[j]]);
    upsert(table, compute_hourly_rollups(batch));
    i += size;
  }
  Timestamp start = *time_in_span();
  Timestamp end = *time_in_span();
  if (end < start) std::swap(start, end);
  const auto interval = *rc::gen::element(domain::BucketInterval::hour, domain::BucketInterval::day,
                                          domain::BucketInterval::week);
  RC_ASSERT(model(records, table, start, end, interval) == direct(records, start, end, interval));
}

RC_GTEST_PROP(MetricRollupModel, EveryPointIsInExactlyOneRollupOfItsHour, ()) {
  const auto records = random_points();
  const auto rollups = compute_hourly_rollups(records);
  std::int64_t total = 0;
  for (std::size_t i = 0; i < rollups.size(); ++i) {
    RC_ASSERT(rollups[i].hour == floor<hours>(rollups[i].hour));
    RC_ASSERT(rollups[i].min <= rollups[i].max);
    if (i > 0) {
      // Sorted and unique: the lock order, and one row per upsert statement.
      RC_ASSERT(
          std::tie(rollups[i - 1].service_name, rollups[i - 1].metric_type, rollups[i - 1].hour) <
          std::tie(rollups[i].service_name, rollups[i].metric_type, rollups[i].hour));
    }
    total += rollups[i].count;
  }
  RC_ASSERT(total == static_cast<std::int64_t>(records.size()));
}

}  // namespace
}  // namespace utxoiq::store
