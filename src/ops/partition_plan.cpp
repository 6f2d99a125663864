// Partition bounds, names and the creation plan (see partition_plan.hpp).
#include "ops/partition_plan.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "util/rfc3339.hpp"

namespace utxoiq::ops {

namespace {

// One side of a bound: ('<timestamptz>') or MINVALUE / MAXVALUE. `ok` false when malformed.
std::optional<Timestamp> parse_side(std::string_view text, bool& ok) {
  if (text == "MINVALUE" || text == "MAXVALUE") return std::nullopt;
  if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') {
    ok = false;
    return std::nullopt;
  }
  const auto t = parse_pg_timestamptz(text.substr(1, text.size() - 2));
  if (!t) ok = false;
  return t;
}

}  // namespace

std::optional<PartitionBound> parse_partition_bound(std::string_view expression) {
  constexpr std::string_view kFrom = "FOR VALUES FROM (";
  constexpr std::string_view kTo = ") TO (";
  if (!expression.starts_with(kFrom) || !expression.ends_with(")")) return std::nullopt;
  const auto inner = expression.substr(kFrom.size(), expression.size() - kFrom.size() - 1);
  const auto split = inner.find(kTo);
  if (split == std::string_view::npos) return std::nullopt;
  bool ok = true;
  PartitionBound bound;
  bound.from = parse_side(inner.substr(0, split), ok);
  bound.to = parse_side(inner.substr(split + kTo.size()), ok);
  if (!ok) return std::nullopt;
  return bound;
}

std::string day_partition_name(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  char name[32];
  std::snprintf(name, sizeof name, "system_metrics_p%04d%02u%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return name;
}

PartitionPlan plan_partitions(const std::vector<PartitionBound>& existing,
                              std::chrono::sys_days today, int days_ahead,
                              const std::vector<std::chrono::sys_days>& default_days) {
  std::set<std::chrono::sys_days> wanted(default_days.begin(), default_days.end());
  for (int i = 0; i <= days_ahead; ++i) wanted.insert(today + std::chrono::days{i});
  PartitionPlan plan;
  for (const auto day : wanted) {
    const Timestamp from{day};
    const Timestamp to{day + std::chrono::days{1}};
    bool covered = false;
    bool overlapped = false;
    for (const auto& bound : existing) {
      const bool starts_before_end = !bound.from || *bound.from < to;
      const bool ends_after_start = !bound.to || *bound.to > from;
      if (!starts_before_end || !ends_after_start) continue;
      const bool contains = (!bound.from || *bound.from <= from) && (!bound.to || *bound.to >= to);
      (contains ? covered : overlapped) = true;
    }
    if (covered) continue;
    (overlapped ? plan.blocked : plan.create).push_back(day);
  }
  return plan;
}

}  // namespace utxoiq::ops
