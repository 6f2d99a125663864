// The decision over the shared and the in-process count; see distributed_failed_auth_limiter.hpp.
#include "cache/distributed_failed_auth_limiter.hpp"

#include <algorithm>
#include <cassert>

namespace utxoiq::cache {

DistributedFailedAuthLimiter::DistributedFailedAuthLimiter(FailureCounts& shared,
                                                           resilience::FailedAuthLimits limits,
                                                           resilience::NowFn now)
    : shared_(shared),
      limits_(limits),
      now_(std::move(now)),
      own_(limits),
      // Own and learned blocks: two tables of at most max_addresses each.
      blocks_(2 * limits.max_addresses) {
  assert(now_);
}

std::optional<std::int64_t> DistributedFailedAuthLimiter::seconds_until(resilience::TimePoint until,
                                                                        resilience::TimePoint now) {
  if (until <= now) return std::nullopt;
  return std::max<std::int64_t>(1, resilience::ceil_seconds(until - now));
}

std::optional<std::int64_t> DistributedFailedAuthLimiter::blocked(const std::string& address) {
  const auto now = now_();
  std::optional<std::int64_t> wait = own_.blocked(address, now);
  const auto learned = blocked_until_.find(address);
  if (learned != blocked_until_.end()) {
    const auto shared_wait = seconds_until(learned->second, now);
    if (!shared_wait) {
      blocked_until_.erase(learned);
    } else if (!wait || *shared_wait > *wait) {
      wait = shared_wait;
    }
  }
  // The middleware answers 429 for every wait given here: counted as a refused request.
  if (wait) blocked_.fetch_add(1, std::memory_order_relaxed);
  return wait;
}

Task<std::optional<std::int64_t>> DistributedFailedAuthLimiter::record_failure(
    std::string address) {
  const auto now = now_();
  // Mirrored in process first: if the shared log is or goes away, the fallback starts from every
  // failure this process saw.
  if (const auto until = own_.record_failure(address, now)) blocks_.note(address, *until, now);
  const std::optional<FailureCount> count = co_await shared_.add(address);
  const std::optional<std::int64_t> answer = decide(address, count, now);
  (answer ? blocked_ : unauthorized_).fetch_add(1, std::memory_order_relaxed);
  co_return answer;
}

std::optional<std::int64_t> DistributedFailedAuthLimiter::decide(
    const std::string& address, const std::optional<FailureCount>& count,
    resilience::TimePoint now) {
  if (!count) {
    in_process_failures_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;  // 401; own_ blocks the address here once it reaches the limit
  }
  shared_failures_.fetch_add(1, std::memory_order_relaxed);
  if (count->before + 1 < limits_.limit) return std::nullopt;
  assert(count->blocked_for > resilience::Duration::zero());
  const auto until = now + count->blocked_for;
  learn_block(address, until, now);
  // Already at the limit before this one: the address was blocked (by failures other processes
  // saw), so this request gets the 429 it would have got there.
  if (count->before >= limits_.limit) return seconds_until(until, now);
  return std::nullopt;  // this failure reached the limit: 401, the next request 429
}

void DistributedFailedAuthLimiter::learn_block(const std::string& address,
                                               resilience::TimePoint until,
                                               resilience::TimePoint now) {
  if (!blocked_until_.contains(address) && blocked_until_.size() >= limits_.max_addresses) {
    std::erase_if(blocked_until_, [now](const auto& entry) { return entry.second <= now; });
    // Still full: forget them all, which only makes the limit more lenient for a window.
    if (blocked_until_.size() >= limits_.max_addresses) blocked_until_.clear();
  }
  auto& entry = blocked_until_[address];
  entry = std::max(entry, until);
  blocks_.note(address, until, now);
  assert(blocked_until_.size() <= limits_.max_addresses);
}

DistributedFailedAuthLimiterCounters DistributedFailedAuthLimiter::counters() const {
  return {.shared = shared_failures_.load(std::memory_order_relaxed),
          .in_process = in_process_failures_.load(std::memory_order_relaxed),
          .unauthorized = unauthorized_.load(std::memory_order_relaxed),
          .blocked = blocked_.load(std::memory_order_relaxed)};
}

std::size_t DistributedFailedAuthLimiter::blocked_addresses() {
  return blocks_.count(now_());
}

}  // namespace utxoiq::cache
