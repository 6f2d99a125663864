// ExplainLimiter (see explain_limiter.hpp).
#include "pg/explain_limiter.hpp"

#include <cassert>

namespace utxoiq::pg {

ExplainLimiter::ExplainLimiter(std::chrono::nanoseconds interval, std::size_t capacity)
    : interval_(interval), capacity_(capacity) {
  assert(capacity_ >= 1);
  assert(interval_.count() >= 0);
}

bool ExplainLimiter::allow(std::uint64_t fingerprint, TimePoint now) {
  if (const auto found = last_.find(fingerprint); found != last_.end()) {
    assert(now >= found->second);
    if (now - found->second < interval_) return false;
    found->second = now;
    return true;
  }
  if (last_.size() >= capacity_) forget_passed(now);
  if (last_.size() >= capacity_) return false;  // every remembered one is still within its interval
  last_.emplace(fingerprint, now);
  assert(last_.size() <= capacity_);
  return true;
}

void ExplainLimiter::forget_passed(TimePoint now) {
  std::erase_if(last_, [&](const auto& entry) { return now - entry.second >= interval_; });
}

}  // namespace utxoiq::pg
