// One L1 cache shard: LRU + TTL + byte budget + tag index + TinyLFU admission; see l1_shard.hpp.
#include "cache/internal/l1_shard.hpp"

#include <algorithm>
#include <cassert>
#include <iterator>

namespace utxoiq::cache {
namespace {

void sort_unique(std::vector<std::string>& tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
}

}  // namespace

L1Shard::L1Shard(L1ShardLimits limits, L1Counters& counters)
    : limits_(limits), counters_(counters), sketch_(limits.max_entries) {}

std::optional<L1Hit> L1Shard::get(std::string_view key, std::uint64_t hash, TimePoint now) {
  std::lock_guard lock(mutex_);
  // Misses count too: a key that keeps missing is a key worth admitting when it is put.
  if (limits_.admission) sketch_.increment(hash);
  const auto found = index_.find(key);
  if (found == index_.end()) {
    counters_.misses.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  const Lru::iterator it = found->second;
  if (now >= it->expires_at) {
    remove_locked(it, Removal::expired);
    counters_.misses.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it);
  counters_.hits.fetch_add(1, std::memory_order_relaxed);
  L1Hit hit{.value = it->value, .needs_refresh = false, .ttl_left = it->expires_at - now};
  if (!it->refresh_claimed && now >= it->refresh_at) {
    it->refresh_claimed = true;
    hit.needs_refresh = true;
  }
  return hit;
}

std::optional<L1Value> L1Shard::get_if_fresh(std::string_view key, std::uint64_t hash,
                                             TimePoint now) {
  std::lock_guard lock(mutex_);
  const auto found = index_.find(key);
  if (found == index_.end()) return std::nullopt;
  const Lru::iterator it = found->second;
  if (now >= it->expires_at || (!it->refresh_claimed && now >= it->refresh_at)) {
    return std::nullopt;
  }
  if (limits_.admission) sketch_.increment(hash);
  lru_.splice(lru_.begin(), lru_, it);
  counters_.hits.fetch_add(1, std::memory_order_relaxed);
  return it->value;
}

bool L1Shard::contains(std::string_view key, TimePoint now) const {
  std::lock_guard lock(mutex_);
  const auto found = index_.find(key);
  return found != index_.end() && now < found->second->expires_at;
}

PutOutcome L1Shard::put(std::string_view key, std::uint64_t hash, L1Value value, Duration ttl,
                        std::vector<std::string> tags, TimePoint now,
                        std::optional<std::uint64_t> expected_epoch) {
  const std::size_t bytes = key.size() + value->size();
  sort_unique(tags);
  std::lock_guard lock(mutex_);
  const auto found = index_.find(key);
  if (expected_epoch.has_value() && *expected_epoch != epoch_) {
    // The value was read before an invalidation and may predate the write that caused it; any
    // entry present now was put after that invalidation, so it is at least as fresh: keep it.
    return PutOutcome::invalidated;
  }
  if (ttl <= Duration::zero() || bytes > limits_.max_bytes || limits_.max_entries == 0) {
    // Not storable; an older value must not outlive this put.
    if (found != index_.end()) remove_locked(found->second, Removal::invalidated);
    return ttl <= Duration::zero() ? PutOutcome::zero_ttl : PutOutcome::too_large;
  }

  if (found != index_.end()) {
    const Lru::iterator it = found->second;
    set_contents_locked(*it, std::move(value), bytes, ttl, std::move(tags), now);
    lru_.splice(lru_.begin(), lru_, it);
    evict_others_until_fits_locked(it, now);
    assert(bounds_hold_locked());
    return PutOutcome::replaced;
  }

  // A new key: take victims from the LRU end until it fits (it always does once the shard is
  // empty, as bytes <= max_bytes and max_entries >= 1).
  assert(bytes <= limits_.max_bytes && limits_.max_entries >= 1);
  std::vector<Lru::iterator> victims;
  std::size_t victim_bytes = 0;
  auto next_victim = lru_.end();
  while (!fits_locked(lru_.size() - victims.size() + 1, bytes_ - victim_bytes + bytes)) {
    assert(victims.size() < lru_.size() && "an empty shard fits any storable entry");
    --next_victim;
    victims.push_back(next_victim);
    victim_bytes += next_victim->bytes;
  }
  if (limits_.admission && !victims.empty()) {
    const std::uint32_t candidate = sketch_.estimate(hash);
    for (const Lru::iterator& victim : victims) {
      const bool live = now < victim->expires_at;
      if (live && candidate <= sketch_.estimate(victim->hash)) {
        counters_.rejections.fetch_add(1, std::memory_order_relaxed);
        return PutOutcome::rejected_by_admission;
      }
    }
  }
  for (const Lru::iterator& victim : victims) {
    remove_locked(victim, now >= victim->expires_at ? Removal::expired : Removal::evicted);
  }

  lru_.emplace_front();
  const Lru::iterator it = lru_.begin();
  it->key = std::string(key);  // before the index takes a view of it; never changed afterwards
  it->hash = hash;
  index_.emplace(std::string_view(it->key), it);
  counters_.entries.fetch_add(1, std::memory_order_relaxed);
  set_contents_locked(*it, std::move(value), bytes, ttl, std::move(tags), now);
  assert(bounds_hold_locked());
  return PutOutcome::stored;
}

bool L1Shard::invalidate(std::string_view key) {
  std::lock_guard lock(mutex_);
  ++epoch_;
  const auto found = index_.find(key);
  if (found == index_.end()) return false;
  remove_locked(found->second, Removal::invalidated);
  return true;
}

std::size_t L1Shard::invalidate_tag(std::string_view tag) {
  std::lock_guard lock(mutex_);
  ++epoch_;
  const auto found = tags_.find(tag);
  if (found == tags_.end()) return 0;
  // Copied first: removing an entry edits this very set (and erases it with the last key).
  const std::vector<std::string_view> keys(found->second.begin(), found->second.end());
  for (const std::string_view key : keys) remove_locked(index_.at(key), Removal::invalidated);
  return keys.size();
}

void L1Shard::clear() {
  std::lock_guard lock(mutex_);
  ++epoch_;
  while (!lru_.empty()) remove_locked(lru_.begin(), Removal::invalidated);
}

std::size_t L1Shard::purge_expired(TimePoint now) {
  std::lock_guard lock(mutex_);
  std::size_t purged = 0;
  for (auto it = lru_.begin(); it != lru_.end();) {
    const auto next = std::next(it);
    if (now >= it->expires_at) {
      remove_locked(it, Removal::expired);
      ++purged;
    }
    it = next;
  }
  return purged;
}

std::uint64_t L1Shard::epoch() const {
  std::lock_guard lock(mutex_);
  return epoch_;
}

std::uint32_t L1Shard::frequency(std::uint64_t hash) const {
  std::lock_guard lock(mutex_);
  return sketch_.estimate(hash);
}

// ---- under the lock ----

void L1Shard::remove_locked(Lru::iterator it, Removal why) {
  unindex_tags_locked(*it);
  bytes_ -= it->bytes;
  counters_.bytes.fetch_sub(it->bytes, std::memory_order_relaxed);
  counters_.entries.fetch_sub(1, std::memory_order_relaxed);
  switch (why) {
    case Removal::evicted:
      counters_.evictions.fetch_add(1, std::memory_order_relaxed);
      break;
    case Removal::expired:
      counters_.expirations.fetch_add(1, std::memory_order_relaxed);
      break;
    case Removal::invalidated:
      counters_.invalidations.fetch_add(1, std::memory_order_relaxed);
      break;
  }
  index_.erase(std::string_view(it->key));
  lru_.erase(it);
}

void L1Shard::index_tags_locked(const Entry& entry) {
  for (const std::string& tag : entry.tags) {
    auto found = tags_.find(tag);
    if (found == tags_.end()) found = tags_.try_emplace(tag).first;
    found->second.insert(std::string_view(entry.key));
  }
}

void L1Shard::unindex_tags_locked(const Entry& entry) {
  for (const std::string& tag : entry.tags) {
    const auto found = tags_.find(tag);
    if (found == tags_.end()) continue;
    found->second.erase(std::string_view(entry.key));
    if (found->second.empty()) tags_.erase(found);
  }
}

void L1Shard::set_contents_locked(Entry& entry, L1Value value, std::size_t bytes, Duration ttl,
                                  std::vector<std::string> tags, TimePoint now) {
  bytes_ = bytes_ - entry.bytes + bytes;
  counters_.bytes.fetch_sub(entry.bytes, std::memory_order_relaxed);
  counters_.bytes.fetch_add(bytes, std::memory_order_relaxed);
  entry.bytes = bytes;
  entry.value = std::move(value);
  unindex_tags_locked(entry);
  entry.tags = std::move(tags);
  index_tags_locked(entry);
  entry.expires_at = now + ttl;
  entry.refresh_at =
      entry.expires_at - std::chrono::duration_cast<Duration>(ttl * limits_.refresh_ahead_fraction);
  entry.refresh_claimed = false;
}

bool L1Shard::fits_locked(std::size_t entries, std::size_t bytes) const {
  return entries <= limits_.max_entries && bytes <= limits_.max_bytes;
}

bool L1Shard::bounds_hold_locked() const {
  return lru_.size() == index_.size() && fits_locked(lru_.size(), bytes_);
}

void L1Shard::evict_others_until_fits_locked(Lru::iterator keep, TimePoint now) {
  while (!fits_locked(lru_.size(), bytes_)) {
    const Lru::iterator victim = std::prev(lru_.end());
    assert(victim != keep && "`keep` alone fits and sits at the front");
    if (victim == keep) break;
    remove_locked(victim, now >= victim->expires_at ? Removal::expired : Removal::evicted);
  }
}

}  // namespace utxoiq::cache
