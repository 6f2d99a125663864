#pragma once
// Failed authentication limited per client address across every process and instance: after
// `limit` failures of an address within `window` (default 20 a minute) counted together by all
// the workers of all instances (FailureCounts, in Redis: RedisFailureCounts), that address's
// requests to key-protected routes get 429.
//
// Where each answer comes from:
//  - blocked() (asked by every request to a key-protected route, before its key is looked at)
//    costs no round trip: it is blocked when this process's own count (the in-process
//    FailedAuthWindow, which mirrors every failure this process saw) is at the limit, or when
//    the shared count said so in a reply to one of this process's failures, until the time that
//    reply gave.
//  - record_failure() (a 401 about to be sent) counts the failure in the shared log and in
//    process. When the shared log was already at the limit (failures seen by other processes),
//    that request answers 429 instead of 401 and this process learns the block.
//  So a process that has not learned of a block lets one request of that address reach the key
//  check: a wrong key then gets 429 (and the process learns the block), a right one passes. Keys
//  guessed from one address across P processes: the limit, plus one per process each time it
//  learns of a block (about limit + P - 1 per window, instead of P x limit with per-process
//  counts), and no cost at all on the requests that authenticate.
//
// Shared count unavailable (Redis disabled, down, circuit open, no reply): no request fails or
// waits for it; the failure is counted in process only, and this process alone blocks the address
// after `limit` failures it saw — per process, so P processes together allow up to P x limit per
// window during an outage, never unlimited. After the outage both counts keep applying (the
// in-process one holds the failures Redis never saw), so one process never allows more than the
// limit across an outage.
//
// Bounded: at most `max_addresses` addresses in each in-process table (the oldest go first, which
// can only make the limit more lenient). One thread (the event loop) uses it.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "cache/failed_auth_limiter.hpp"
#include "cache/failure_counts.hpp"
#include "resilience/blocked_address_count.hpp"
#include "resilience/clock.hpp"
#include "resilience/failed_auth_window.hpp"

namespace utxoiq::cache {

// What this process's limiter counted (exported on /metrics by app/failed_auth_metrics). The
// middleware acts on every answer, so `unauthorized` and `blocked` are exactly the requests it
// refused with 401 and with 429; shared + in_process == unauthorized + the failures answered 429.
struct DistributedFailedAuthLimiterCounters {
  std::uint64_t shared = 0;        // failures counted in the shared log
  std::uint64_t in_process = 0;    // failures counted in process only (shared log unavailable)
  std::uint64_t unauthorized = 0;  // failures answered 401 (under the limit)
  // Requests answered 429: blocked() said so (before the key was looked at), or a failure found
  // the address already over the limit.
  std::uint64_t blocked = 0;
};

class DistributedFailedAuthLimiter : public FailedAuthLimiter {
 public:
  // `shared` must outlive the limiter.
  DistributedFailedAuthLimiter(FailureCounts& shared, resilience::FailedAuthLimits limits,
                               resilience::NowFn now = resilience::steady_now);

  std::optional<std::int64_t> blocked(const std::string& address) override;
  Task<std::optional<std::int64_t>> record_failure(std::string address) override;

  DistributedFailedAuthLimiterCounters counters() const;
  std::size_t learned_blocks() const { return blocked_until_.size(); }
  // Addresses blocked() refuses now, each counted once (resilience/blocked_address_count.hpp):
  // a gauge read at scrape time, on the thread that uses the limiter (every scrape runs on the
  // event loop).
  std::size_t blocked_addresses();

 private:
  // Whole seconds until `until`, at least 1; nullopt when it has passed.
  static std::optional<std::int64_t> seconds_until(resilience::TimePoint until,
                                                   resilience::TimePoint now);
  // The answer to a failure the shared log counted as `count` (nullopt: not counted there).
  std::optional<std::int64_t> decide(const std::string& address,
                                     const std::optional<FailureCount>& count,
                                     resilience::TimePoint now);
  void learn_block(const std::string& address, resilience::TimePoint until,
                   resilience::TimePoint now);

  FailureCounts& shared_;
  const resilience::FailedAuthLimits limits_;
  const resilience::NowFn now_;
  resilience::FailedAuthWindow own_;  // every failure this process saw
  // Blocks the shared count reported in replies to this process's failures.
  std::unordered_map<std::string, resilience::TimePoint> blocked_until_;
  // Every block of the two above, for the gauge.
  resilience::BlockedAddressCount blocks_;
  std::atomic<std::uint64_t> shared_failures_{0};
  std::atomic<std::uint64_t> in_process_failures_{0};
  std::atomic<std::uint64_t> unauthorized_{0};
  std::atomic<std::uint64_t> blocked_{0};
};

}  // namespace utxoiq::cache
