// See blocked_address_count.hpp.
#include "resilience/blocked_address_count.hpp"

#include <cassert>

namespace utxoiq::resilience {

BlockedAddressCount::BlockedAddressCount(std::size_t max_addresses)
    : max_addresses_(max_addresses) {
  assert(max_addresses_ >= 1);
}

void BlockedAddressCount::note(const std::string& address, TimePoint until, TimePoint now) {
  forget_ended(now);  // keeps the queue to the blocks of one window
  if (until <= now) return;
  const auto found = ends_.find(address);
  if (found == ends_.end()) {
    if (ends_.size() >= max_addresses_) return;
    ends_.emplace(address, until);
  } else if (until > found->second) {
    found->second = until;
  } else {
    return;  // an end already counted covers it
  }
  by_end_.emplace(until, address);
  assert(ends_.size() <= by_end_.size());
}

std::size_t BlockedAddressCount::count(TimePoint now) {
  forget_ended(now);
  return ends_.size();
}

void BlockedAddressCount::forget_ended(TimePoint now) {
  while (!by_end_.empty() && by_end_.top().first <= now) {
    const auto& [end, address] = by_end_.top();
    const auto found = ends_.find(address);
    // Its latest end: the block is over. An earlier one (noted again since): still blocked.
    if (found != ends_.end() && found->second == end) ends_.erase(found);
    by_end_.pop();
  }
  assert(ends_.size() <= by_end_.size());
}

}  // namespace utxoiq::resilience
