// When the read-your-writes tokens are complete; see token_feed_completeness.hpp.
#include "pg/token_feed_completeness.hpp"

#include <cassert>
#include <cmath>

namespace utxoiq::pg {

TokenFeedCompleteness::TokenFeedCompleteness(Clock::duration required) : required_(required) {
  assert(required >= Clock::duration::zero());
}

TokenFeedCompleteness::Clock::duration TokenFeedCompleteness::required_for(
    double max_lag_s, Clock::duration lag_poll_interval) {
  assert(max_lag_s >= 0 && std::isfinite(max_lag_s));
  assert(lag_poll_interval >= Clock::duration::zero());
  const auto max_lag =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(max_lag_s));
  return max_lag + 2 * lag_poll_interval;
}

void TokenFeedCompleteness::hearing(bool heard, Clock::time_point now) {
  if (!heard) {
    since_.reset();
  } else if (!since_) {
    since_ = now;
  }
}

bool TokenFeedCompleteness::complete(Clock::time_point now) const {
  return since_ && now - *since_ >= required_;
}

}  // namespace utxoiq::pg
