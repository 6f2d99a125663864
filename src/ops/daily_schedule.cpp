// See daily_schedule.hpp.
#include "ops/daily_schedule.hpp"

#include <cassert>

namespace utxoiq::ops {

namespace {

std::optional<int> two_digits(std::string_view text) {
  if (text.size() != 2 || text[0] < '0' || text[0] > '9' || text[1] < '0' || text[1] > '9') {
    return std::nullopt;
  }
  return (text[0] - '0') * 10 + (text[1] - '0');
}

void check(TimeOfDay time_of_day) {
  assert(time_of_day >= TimeOfDay{0} && time_of_day < std::chrono::days{1});
  (void)time_of_day;
}

}  // namespace

std::optional<TimeOfDay> parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const auto hours = two_digits(text.substr(0, 2));
  const auto minutes = two_digits(text.substr(3, 2));
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  return TimeOfDay{*hours * 60 + *minutes};
}

Timestamp latest_slot(Timestamp now, TimeOfDay time_of_day) {
  check(time_of_day);
  const Timestamp today = std::chrono::floor<std::chrono::days>(now) + time_of_day;
  const Timestamp slot = today <= now ? today : today - std::chrono::days{1};
  assert(slot <= now && now - slot < std::chrono::days{1});
  return slot;
}

Timestamp next_slot(Timestamp now, TimeOfDay time_of_day) {
  const Timestamp slot = latest_slot(now, time_of_day) + std::chrono::days{1};
  assert(slot > now);
  return slot;
}

bool is_due(Timestamp now, TimeOfDay time_of_day, Timestamp last_slot) {
  return latest_slot(now, time_of_day) > last_slot;
}

}  // namespace utxoiq::ops
