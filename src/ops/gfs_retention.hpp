#pragma once
// Which backups retention deletes: grandfather-father-son over days and ISO weeks (UTC). Kept:
//  - the newest backup of each of the last `daily` calendar days (today and the days before),
//  - the newest backup of each of the last `weekly` ISO weeks (this week and the weeks before),
//    a backup may be kept for both reasons,
//  - the newest verified backup, always: the one restore known to work is never given up,
//  - anything started after `now` (a clock step back must not delete the newest backups).
// Everything else is deleted. Pure, so the rules are checked by property tests over random
// histories.
#include <string>
#include <vector>

#include "util/time.hpp"

namespace utxoiq::ops {

struct RetainedBackup {
  std::string id;
  Timestamp started_at{};
  bool verified = false;  // a test restore passed
};

struct GfsPolicy {
  int daily = 7;
  int weekly = 4;
};

// The ids to delete, in the order of `backups`. Ids must be unique.
std::vector<std::string> backups_to_delete(const std::vector<RetainedBackup>& backups,
                                           Timestamp now, GfsPolicy policy = {});

// Days since 1970-01-01 (UTC) and ISO weeks (Monday-based) since the week holding that day.
long long utc_day_number(Timestamp t);
long long iso_week_number(Timestamp t);

}  // namespace utxoiq::ops
