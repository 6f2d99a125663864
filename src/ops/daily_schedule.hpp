#pragma once
// When a daily job is due: the pure arithmetic of the scheduler (ops/scheduler.hpp), kept apart
// so it can be tested without a clock or a database. A daily job has one "slot" per UTC day, at
// its time of day. A job is due when the latest slot at or before now is later than the slot of
// its last run: a slot that passed while no instance was running is therefore caught up at the
// next start, and only once, however many days were missed.
#include <chrono>
#include <optional>
#include <string_view>

#include "util/time.hpp"

namespace utxoiq::ops {

// A UTC time of day, in minutes after midnight: [0, 1440).
using TimeOfDay = std::chrono::minutes;

// "HH:MM" (24 h, two digits each) → minutes after midnight; nullopt for anything else.
std::optional<TimeOfDay> parse_time_of_day(std::string_view text);

// The latest slot at or before `now`.
Timestamp latest_slot(Timestamp now, TimeOfDay time_of_day);
// The earliest slot strictly after `now`.
Timestamp next_slot(Timestamp now, TimeOfDay time_of_day);
// True when a slot passed (at or before now) that is later than `last_slot`.
bool is_due(Timestamp now, TimeOfDay time_of_day, Timestamp last_slot);

}  // namespace utxoiq::ops
