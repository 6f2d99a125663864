#pragma once
// One shard of the L1 cache: an LRU list with per-entry TTL, bounded by entry count and bytes, a
// tag index, and (optionally) the TinyLFU admission filter. The cache (l1_cache.hpp) spreads keys
// over shards by hash; each shard has its own mutex, so threads touching different shards never
// wait for each other.
//
// Eviction and admission, precisely (the property tests check exactly this):
//  - a put of a key already present always replaces it in place (never refused), and then evicts
//    least-recently-used OTHER entries until the shard is within its budgets;
//  - a put of a new key: the victims are the least-recently-used entries, taken from the LRU end
//    until the new entry fits. With no victims needed it is stored. Otherwise, with admission on,
//    it is stored (and exactly those victims removed) only if its frequency estimate is greater
//    than that of every unexpired victim; if not, it is refused and NOTHING changes. With
//    admission off it is always stored: plain LRU.
//  - a hit (get) and a stored/replacing put make the key the most recently used; gets (hits and
//    misses) feed the frequency sketch.
// So the filter only ever decides whether a newcomer gets in, never which entry goes: the entries
// that leave are always the least recently used ones.
//
// Invariants, asserted after every change (bounds_hold_locked()): the LRU list and the key index
// hold the same entries, at most max_entries of them, and their bytes (key + value) add up to at
// most max_bytes. A value larger than max_bytes is never stored, so a new entry always fits once
// the others are gone.
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cache/internal/frequency_sketch.hpp"
#include "cache/l1_types.hpp"

namespace utxoiq::cache {

struct L1ShardLimits {
  std::size_t max_entries = 0;
  std::size_t max_bytes = 0;
  bool admission = true;
  double refresh_ahead_fraction = 0.0;
};

class L1Shard {
 public:
  L1Shard(L1ShardLimits limits, L1Counters& counters);
  L1Shard(const L1Shard&) = delete;
  L1Shard& operator=(const L1Shard&) = delete;

  std::optional<L1Hit> get(std::string_view key, std::uint64_t hash, TimePoint now);
  // get()'s hit when the entry is live and not due for its refresh; otherwise nullopt and nothing
  // changes or is counted (the caller's get() then decides, counts and claims the refresh).
  std::optional<L1Value> get_if_fresh(std::string_view key, std::uint64_t hash, TimePoint now);
  bool contains(std::string_view key, TimePoint now) const;
  // expected_epoch: when set, store only if no invalidation happened in this shard since epoch()
  // returned that value.
  PutOutcome put(std::string_view key, std::uint64_t hash, L1Value value, Duration ttl,
                 std::vector<std::string> tags, TimePoint now,
                 std::optional<std::uint64_t> expected_epoch);
  bool invalidate(std::string_view key);
  std::size_t invalidate_tag(std::string_view tag);
  void clear();
  std::size_t purge_expired(TimePoint now);

  // Bumped by every invalidate / invalidate_tag / clear of this shard.
  std::uint64_t epoch() const;
  std::uint32_t frequency(std::uint64_t hash) const;
  const L1ShardLimits& limits() const { return limits_; }

 private:
  struct Entry {
    std::string key;
    std::uint64_t hash = 0;
    L1Value value;
    std::vector<std::string> tags;
    std::size_t bytes = 0;
    TimePoint expires_at{};
    TimePoint refresh_at{};  // from here on the first hit reports needs_refresh
    bool refresh_claimed = false;
  };
  using Lru = std::list<Entry>;  // front = most recently used
  enum class Removal { evicted, expired, invalidated };

  void remove_locked(Lru::iterator it, Removal why);
  void index_tags_locked(const Entry& entry);
  void unindex_tags_locked(const Entry& entry);
  void set_contents_locked(Entry& entry, L1Value value, std::size_t bytes, Duration ttl,
                           std::vector<std::string> tags, TimePoint now);
  bool fits_locked(std::size_t entries, std::size_t bytes) const;
  bool bounds_hold_locked() const;
  void evict_others_until_fits_locked(Lru::iterator keep, TimePoint now);

  const L1ShardLimits limits_;
  L1Counters& counters_;
  mutable std::mutex mutex_;
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> index_;  // views into Entry::key
  // Lets the tag map be searched with a string_view.
  struct TagHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view tag) const noexcept {
      return std::hash<std::string_view>{}(tag);
    }
  };
  // tag -> keys carrying it (views into Entry::key, stable: list nodes never move)
  std::unordered_map<std::string, std::unordered_set<std::string_view>, TagHash, std::equal_to<>>
      tags_;
  std::size_t bytes_ = 0;
  std::uint64_t epoch_ = 0;
  FrequencySketch sketch_;
};

}  // namespace utxoiq::cache
