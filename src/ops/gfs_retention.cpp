// The GFS selection of gfs_retention.hpp.
#include "ops/gfs_retention.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <set>

namespace utxoiq::ops {
namespace {

long long floor_div(long long a, long long b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

bool newer(const RetainedBackup& a, const RetainedBackup& b) {
  return a.started_at != b.started_at ? a.started_at > b.started_at : a.id > b.id;
}

// For each bucket in [current - count + 1, current], the newest backup in it.
template <typename BucketOf>
void keep_newest_per_bucket(const std::vector<RetainedBackup>& backups, long long current,
                            int count, BucketOf bucket_of, std::set<std::string>& keep) {
  std::map<long long, const RetainedBackup*> newest;
  for (const auto& b : backups) {
    const long long bucket = bucket_of(b.started_at);
    if (bucket > current || bucket <= current - count) continue;
    auto& slot = newest[bucket];
    if (slot == nullptr || newer(b, *slot)) slot = &b;
  }
  for (const auto& [bucket, backup] : newest) keep.insert(backup->id);
}

}  // namespace

long long utc_day_number(Timestamp t) {
  return floor_div(to_unix_micros(t), 86'400'000'000LL);
}

long long iso_week_number(Timestamp t) {
  // 1970-01-01 was a Thursday: the Monday of its week is day -3.
  return floor_div(utc_day_number(t) + 3, 7);
}

std::vector<std::string> backups_to_delete(const std::vector<RetainedBackup>& backups,
                                           Timestamp now, GfsPolicy policy) {
  assert(policy.daily >= 0 && policy.weekly >= 0);
  std::set<std::string> keep;
  keep_newest_per_bucket(backups, utc_day_number(now), policy.daily, utc_day_number, keep);
  keep_newest_per_bucket(backups, iso_week_number(now), policy.weekly, iso_week_number, keep);
  const RetainedBackup* newest_verified = nullptr;
  for (const auto& b : backups) {
    if (b.started_at > now) keep.insert(b.id);
    if (b.verified && (newest_verified == nullptr || newer(b, *newest_verified))) {
      newest_verified = &b;
    }
  }
  if (newest_verified != nullptr) keep.insert(newest_verified->id);
  std::vector<std::string> doomed;
  for (const auto& b : backups) {
    if (!keep.contains(b.id)) doomed.push_back(b.id);
  }
  return doomed;
}

}  // namespace utxoiq::ops
