#pragma once
// How many client addresses are blocked now, from when each block ends: the gauge of the
// failed-authentication limiter (cache/distributed_failed_auth_limiter.hpp). Reading it costs the
// blocks that ended since the last read (O(log n) each), never a walk over every address a table
// tracks: a walk over the limiter's 100,000-address table took about 25 ms of the event loop.
//
// An address noted again keeps its latest end. An address stays counted until its end even if
// the limiter's bounded tables dropped it meanwhile (which only happens past 100,000 addresses).
// Bounded: at most `max_addresses` addresses; past that new ones are not counted (the gauge
// reads at most that). Pure (time is passed in); one thread (the event loop) uses it.
#include <cstddef>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "resilience/clock.hpp"

namespace utxoiq::resilience {

class BlockedAddressCount {
 public:
  explicit BlockedAddressCount(std::size_t max_addresses);

  // `address` is blocked until `until` (exclusive), as of `now`.
  void note(const std::string& address, TimePoint until, TimePoint now);
  // Addresses whose block has not ended at `now`.
  std::size_t count(TimePoint now);

 private:
  void forget_ended(TimePoint now);

  std::size_t max_addresses_;
  std::unordered_map<std::string, TimePoint> ends_;  // each counted address, its latest end
  // Every end noted, soonest first; an entry older than its address's latest end is skipped.
  using End = std::pair<TimePoint, std::string>;
  std::priority_queue<End, std::vector<End>, std::greater<>> by_end_;
};

}  // namespace utxoiq::resilience
