// The scheduler's arithmetic (ops/daily_schedule.hpp) over random instants and times of day,
// checked against its definition: the latest slot is at the time of day, at or before now, less
// than a day before it; the next slot is a day after it; a job is due exactly when a slot lies in
// (last run's slot, now], so a run missed for any number of days is caught up once.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <chrono>
#include <cstdint>

#include "ops/daily_schedule.hpp"

namespace utxoiq::ops {
namespace {

using namespace std::chrono;

Timestamp random_instant() {
  // 2000-01-01 .. about 2100, with microseconds.
  const auto micros =
      *rc::gen::inRange<std::int64_t>(946684800LL * 1000000, 4102444800LL * 1000000);
  return from_unix_micros(micros);
}

TimeOfDay random_time_of_day() {
  return TimeOfDay{*rc::gen::inRange(0, 24 * 60)};
}

RC_GTEST_PROP(DailySchedule, LatestSlotIsTheTimeOfDayAtOrBeforeNow, ()) {
  const Timestamp now = random_instant();
  const TimeOfDay tod = random_time_of_day();
  const Timestamp slot = latest_slot(now, tod);
  RC_ASSERT(slot <= now);
  RC_ASSERT(now - slot < days{1});
  RC_ASSERT(slot - floor<days>(slot) == tod);
  RC_ASSERT(next_slot(now, tod) == slot + days{1});
  RC_ASSERT(next_slot(now, tod) > now);
}

RC_GTEST_PROP(DailySchedule, DueExactlyWhenASlotPassedSinceTheLastRun, ()) {
  const Timestamp now = random_instant();
  const TimeOfDay tod = random_time_of_day();
  const Timestamp last_run_slot = latest_slot(now - days{*rc::gen::inRange(0, 40)}, tod);
  const Timestamp slot = latest_slot(now, tod);
  const bool missed = slot > last_run_slot;
  RC_ASSERT(is_due(now, tod, last_run_slot) == missed);
  // After the run records the slot it ran, the job is not due again until the next slot.
  RC_ASSERT(!is_due(now, tod, slot));
  RC_ASSERT(!is_due(next_slot(now, tod) - microseconds{1}, tod, slot));
  RC_ASSERT(is_due(next_slot(now, tod), tod, slot));
}

TEST(DailySchedule, ParsesHoursAndMinutes) {
  EXPECT_EQ(parse_time_of_day("02:00"), TimeOfDay{120});
  EXPECT_EQ(parse_time_of_day("00:00"), TimeOfDay{0});
  EXPECT_EQ(parse_time_of_day("23:59"), TimeOfDay{23 * 60 + 59});
  for (const char* bad : {"24:00", "2:00", "02:60", "02-00", "", "02:00Z", "ab:cd"}) {
    EXPECT_EQ(parse_time_of_day(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace utxoiq::ops
