// Sliding-log rate limiter; see sliding_window_limiter.hpp for the guarantees.
#include "resilience/sliding_window_limiter.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <utility>

namespace utxoiq::resilience {
namespace {

void validate(const SlidingWindowLimiterOptions& o) {
  if (o.window <= Duration::zero()) throw std::invalid_argument("rate limiter: window must be > 0");
  if (o.per_key_limit == 0 || o.global_limit == 0) {
    throw std::invalid_argument("rate limiter: limits must be at least 1");
  }
  if (o.shards == 0) throw std::invalid_argument("rate limiter: shards must be at least 1");
}

}  // namespace

SlidingWindowLimiter::SlidingWindowLimiter(SlidingWindowLimiterOptions options, NowFn now)
    : options_((validate(options), options)),
      now_(std::move(now)),
      window_(options_.window.count()) {
  if (!now_) throw std::invalid_argument("rate limiter: clock function is empty");
  shards_.reserve(options_.shards);
  for (std::size_t i = 0; i < options_.shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

RateLimitDecision SlidingWindowLimiter::acquire(std::string_view key, bool admin) {
  if (admin) {
    bypassed_.fetch_add(1, std::memory_order_relaxed);
    return RateLimitDecision{.allowed = true,
                             .bypassed = true,
                             .limit = options_.per_key_limit,
                             .remaining = options_.per_key_limit,
                             .reset_seconds = 0,
                             .retry_after_seconds = 0};
  }

  Shard& shard = shard_for(key);
  std::lock_guard shard_lock(shard.mutex);
  std::lock_guard global_lock(global_mutex_);
  // Read under the global lock: every recorded time is then taken in lock order, so both the
  // global log and each key's log are sorted, which drop_old() and the front-based waits rely on.
  const Ticks now = now_under_global_lock();
  if (now >= shard.next_sweep) {
    sweep_locked(shard, now);
    shard.next_sweep = now + window_;
  }

  drop_old(global_log_, now);
  auto found = shard.logs.find(key);
  std::deque<Ticks>* key_log = found == shard.logs.end() ? nullptr : &found->second;
  if (key_log != nullptr) drop_old(*key_log, now);

  const std::uint64_t key_count = key_log != nullptr ? key_log->size() : 0;
  const std::uint64_t global_count = global_log_.size();
  const bool key_full = key_count >= options_.per_key_limit;
  const bool global_full = global_count >= options_.global_limit;

  RateLimitDecision decision;
  decision.limit = options_.per_key_limit;
  if (!key_full && !global_full) {
    if (key_log == nullptr) key_log = &shard.logs.try_emplace(std::string(key)).first->second;
    key_log->push_back(now);
    global_log_.push_back(now);
    const std::uint64_t key_left = options_.per_key_limit - key_count - 1;
    const std::uint64_t global_left = options_.global_limit - global_count - 1;
    decision.allowed = true;
    decision.remaining = static_cast<std::uint32_t>(std::min(key_left, global_left));
    // `remaining` grows when the oldest entry of whichever log bounds it leaves the window.
    const Ticks oldest = key_left <= global_left ? key_log->front() : global_log_.front();
    decision.reset_seconds =
        std::max<std::int64_t>(1, ceil_seconds(Duration(oldest + window_ - now)));
    allowed_.fetch_add(1, std::memory_order_relaxed);
    return decision;
  }

  // Refused: not recorded anywhere. Each full log frees a slot when its oldest entry leaves the
  // window (at exactly oldest + window, as the window is (t - window, t]); both must have room.
  Ticks wait = 0;
  if (key_full) wait = std::max(wait, key_log->front() + window_ - now);
  if (global_full) wait = std::max(wait, global_log_.front() + window_ - now);
  decision.allowed = false;
  decision.remaining = 0;
  decision.retry_after_seconds = std::max<std::int64_t>(1, ceil_seconds(Duration(wait)));
  decision.reset_seconds = decision.retry_after_seconds;
  if (key_full) {
    limited_per_key_.fetch_add(1, std::memory_order_relaxed);
  } else {
    limited_global_.fetch_add(1, std::memory_order_relaxed);
  }
  if (key_log != nullptr && key_log->empty()) shard.logs.erase(found);
  return decision;
}

std::size_t SlidingWindowLimiter::prune() {
  std::size_t dropped = 0;
  for (auto& shard : shards_) {
    std::lock_guard shard_lock(shard->mutex);
    Ticks now;
    {
      std::lock_guard global_lock(global_mutex_);
      now = now_under_global_lock();
      drop_old(global_log_, now);
    }
    dropped += sweep_locked(*shard, now);
  }
  return dropped;
}

std::size_t SlidingWindowLimiter::tracked_keys() const {
  std::size_t keys = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    keys += shard->logs.size();
  }
  return keys;
}

RateLimiterCounters SlidingWindowLimiter::counters() const {
  return RateLimiterCounters{.allowed = allowed_.load(std::memory_order_relaxed),
                             .limited_per_key = limited_per_key_.load(std::memory_order_relaxed),
                             .limited_global = limited_global_.load(std::memory_order_relaxed),
                             .bypassed = bypassed_.load(std::memory_order_relaxed)};
}

SlidingWindowLimiter::Shard& SlidingWindowLimiter::shard_for(std::string_view key) {
  return *shards_[std::hash<std::string_view>{}(key) % shards_.size()];
}

SlidingWindowLimiter::Ticks SlidingWindowLimiter::now_under_global_lock() {
  // Never let time run backwards inside the limiter, whatever the injected clock does.
  last_now_ = std::max(last_now_, now_().time_since_epoch().count());
  return last_now_;
}

void SlidingWindowLimiter::drop_old(std::deque<Ticks>& log, Ticks now) const {
  // An entry at time a is inside the window (now - window, now] while a > now - window.
  while (!log.empty() && log.front() <= now - window_) log.pop_front();
}

std::size_t SlidingWindowLimiter::sweep_locked(Shard& shard, Ticks now) {
  std::size_t dropped = 0;
  for (auto it = shard.logs.begin(); it != shard.logs.end();) {
    drop_old(it->second, now);
    if (it->second.empty()) {
      it = shard.logs.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
  return dropped;
}

}  // namespace utxoiq::resilience
