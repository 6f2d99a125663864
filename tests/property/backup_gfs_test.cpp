// GFS retention (ops/gfs_retention) over random backup histories, against a model written with
// std::chrono's calendar (year_month_day, ISO weekdays) instead of the day arithmetic of the code:
//  - only ids of the history are deleted, each once;
//  - the newest backup of each of the last 7 UTC days and of each of the last 4 ISO weeks is kept;
//  - the newest verified backup and backups after `now` are kept;
//  - nothing else is kept (every kept backup has one of the reasons above).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ops/gfs_retention.hpp"

namespace utxoiq::ops {
namespace {

using namespace std::chrono;

sys_days day_of(Timestamp t) {
  return floor<days>(t);
}

sys_days monday_of(Timestamp t) {
  const sys_days day = day_of(t);
  return day - days{weekday{day}.iso_encoding() - 1};
}

// The id of the newest backup per key, over the backups whose key is in `window`.
template <typename KeyOf>
std::set<std::string> newest_per_key(const std::vector<RetainedBackup>& backups,
                                     const std::set<sys_days>& window, KeyOf key_of) {
  std::map<sys_days, const RetainedBackup*> newest;
  for (const auto& b : backups) {
    if (!window.contains(key_of(b.started_at))) continue;
    auto& slot = newest[key_of(b.started_at)];
    if (slot == nullptr || b.started_at > slot->started_at ||
        (b.started_at == slot->started_at && b.id > slot->id)) {
      slot = &b;
    }
  }
  std::set<std::string> ids;
  for (const auto& [key, backup] : newest) ids.insert(backup->id);
  return ids;
}

std::set<std::string> model_keep(const std::vector<RetainedBackup>& backups, Timestamp now) {
  std::set<sys_days> last_days;
  std::set<sys_days> last_weeks;
  for (int i = 0; i < 7; ++i) last_days.insert(day_of(now) - days{i});
  for (int i = 0; i < 4; ++i) last_weeks.insert(monday_of(now) - weeks{i});
  std::set<std::string> keep = newest_per_key(backups, last_days, day_of);
  keep.merge(newest_per_key(backups, last_weeks, monday_of));
  const RetainedBackup* verified = nullptr;
  for (const auto& b : backups) {
    if (b.started_at > now) keep.insert(b.id);
    if (b.verified && (verified == nullptr || b.started_at > verified->started_at ||
                       (b.started_at == verified->started_at && b.id > verified->id))) {
      verified = &b;
    }
  }
  if (verified != nullptr) keep.insert(verified->id);
  return keep;
}

RC_GTEST_PROP(BackupGfs, DeletesExactlyWhatNoRuleKeeps, ()) {
  // now: somewhere in 2020-2035; backups up to 70 days before it and a few after (clock steps).
  const auto now_s = *rc::gen::inRange<long long>(1'577'836'800LL, 2'051'222'400LL);
  const Timestamp now = from_unix_micros(now_s * 1'000'000);
  const auto offsets = *rc::gen::container<std::vector<long long>>(
      rc::gen::inRange<long long>(-70LL * 86400, 2LL * 86400));
  const auto verified_flags = *rc::gen::container<std::vector<bool>>(
      offsets.size(), rc::gen::weightedElement<bool>({{1, true}, {4, false}}));
  std::vector<RetainedBackup> backups;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    backups.push_back({"b" + std::to_string(i), from_unix_micros((now_s + offsets[i]) * 1'000'000),
                       verified_flags[i]});
  }

  const auto deleted = backups_to_delete(backups, now);
  const std::set<std::string> deleted_set(deleted.begin(), deleted.end());
  RC_ASSERT(deleted_set.size() == deleted.size());

  const std::set<std::string> keep = model_keep(backups, now);
  for (const auto& b : backups) {
    RC_ASSERT(deleted_set.contains(b.id) != keep.contains(b.id));
  }
  for (const auto& id : deleted_set) RC_ASSERT(id.starts_with("b"));
  RC_ASSERT(keep.size() <= 7 + 4 + 1 +
                               static_cast<std::size_t>(std::count_if(
                                   backups.begin(), backups.end(),
                                   [now](const auto& b) { return b.started_at > now; })));
}

TEST(BackupGfs, KeepsSevenDailyAndFourWeeklyOfADailyHistory) {
  // 60 daily backups at 01:00, now = the 60th day at 12:00: 7 days + the older weeks' newest.
  const Timestamp first = from_unix_micros(1'764'464'400LL * 1'000'000);  // 2025-11-30 01:00 UTC
  std::vector<RetainedBackup> backups;
  for (int i = 0; i < 60; ++i) {
    backups.push_back({"d" + std::to_string(100 + i), first + days{i}, false});
  }
  const Timestamp now = backups.back().started_at + hours{11};
  const auto deleted = backups_to_delete(backups, now);
  const std::set<std::string> kept = model_keep(backups, now);
  EXPECT_EQ(deleted.size() + kept.size(), 60u);
  EXPECT_GE(kept.size(), 7u);
  EXPECT_LE(kept.size(), 10u);  // 7 days + up to 3 older Sundays
  EXPECT_TRUE(kept.contains("d159"));
}

TEST(BackupGfs, NeverDeletesTheNewestVerifiedBackup) {
  const Timestamp now = from_unix_micros(1'764'464'400LL * 1'000'000);
  const std::vector<RetainedBackup> backups{{"old-verified", now - days{200}, true},
                                            {"old", now - days{300}, false},
                                            {"today", now - hours{1}, false}};
  const auto deleted = backups_to_delete(backups, now);
  EXPECT_EQ(deleted, std::vector<std::string>{"old"});
}

}  // namespace
}  // namespace utxoiq::ops
