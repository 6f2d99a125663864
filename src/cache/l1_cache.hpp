#pragma once
// L1: the in-process cache in front of Redis (L2) and the database. Sharded by key hash, each shard
// with its own mutex; bounded by entry count AND bytes (key + value); per-entry TTL; tags for
// group invalidation; LRU eviction with an optional TinyLFU admission filter (on by default).
//
// Why the filter: on skewed (Zipf) traffic, plain LRU lets every one-off key push a popular key
// out. With the filter a new key only gets in if it has been asked for more often than the entries
// it would evict, so the popular keys stay (the eviction order itself stays LRU; the exact rule is
// in l1_shard.hpp). tests/unit/l1_zipf_hit_rate_test.cpp shows the gain on a fixed trace.
//
// Budgets are split evenly over the shards, so the largest storable entry is max_bytes / shards
// (larger ones get PutOutcome::too_large), and a shard can be full while others have room.
//
// Our own code: no packaged C++ cache offers TTL + tags + byte budgets + admission; this is the
// part of Caffeine's design we need, in a few hundred lines. Pure: no I/O; time comes from the
// injected clock; expired entries are dropped when met (get, eviction) or by purge_expired().
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/l1_types.hpp"

namespace utxoiq::cache {

class L1Shard;

struct L1CacheOptions {
  std::size_t max_entries = 1000;            // >= 1 (seed: 1000 entries)
  std::size_t max_bytes = 64 * 1024 * 1024;  // >= 1; key + value sizes
  std::size_t shards = 16;                   // >= 1; at most max_entries are used
  // A get in the last fraction of an entry's TTL reports needs_refresh (once). In [0, 1); 0 =
  // never.
  double refresh_ahead_fraction = 0.1;
  bool admission_filter = true;  // false = plain LRU
};

// Taken before reading the source of a value (L2 or the database) and given back with the put:
// if the key's shard saw any invalidation in between, the value read may be older than the write
// that caused it, and the put is dropped (PutOutcome::invalidated) instead of caching stale data
// until its TTL runs out. Coarse on purpose (per shard, not per key): a spurious drop only costs a
// later miss.
struct InvalidationToken {
  std::uint64_t epoch = 0;
};

class L1Cache {
 public:
  // Throws std::invalid_argument for zero limits/shards or a fraction outside [0, 1).
  explicit L1Cache(L1CacheOptions options = {}, NowFn now = resilience::steady_now);
  ~L1Cache();
  L1Cache(const L1Cache&) = delete;
  L1Cache& operator=(const L1Cache&) = delete;

  // A live entry (expiry is strict: an entry put with ttl T at time t is returned while now < t+T,
  // never from t+T on), made most recently used; std::nullopt on a miss.
  std::optional<L1Hit> get(std::string_view key);
  // The value of a live entry that is not due for its refresh-ahead, counted as get() counts a
  // hit; nullopt (nothing changed or counted) otherwise, and then get() is the one to ask.
  std::optional<L1Value> get_if_fresh(std::string_view key);
  // Whether a live entry exists; changes nothing (no recency, no stats, no frequency).
  bool contains(std::string_view key) const;

  // Stores value under key for ttl with the given tags (replacing value, TTL and tags of an
  // existing entry). value must not be null (std::invalid_argument).
  PutOutcome put(std::string_view key, L1Value value, Duration ttl,
                 std::vector<std::string> tags = {});
  PutOutcome put(std::string_view key, std::string value, Duration ttl,
                 std::vector<std::string> tags = {});

  InvalidationToken invalidation_token(std::string_view key) const;
  // put(), unless key's shard was invalidated (invalidate, invalidate_tag or clear) after `token`.
  PutOutcome put_unless_invalidated(InvalidationToken token, std::string_view key, L1Value value,
                                    Duration ttl, std::vector<std::string> tags = {});

  // Removes the key; true if it was cached (expired or not).
  bool invalidate(std::string_view key);
  // Removes every entry carrying the tag; returns how many.
  std::size_t invalidate_tag(std::string_view tag);
  void clear();
  // Removes every expired entry now (otherwise they go when met); returns how many.
  std::size_t purge_expired();

  L1Stats stats() const;
  // The admission filter's frequency estimate for key (0 to 16), for tests and diagnostics.
  std::uint32_t frequency_estimate(std::string_view key) const;
  std::size_t shard_count() const { return shards_.size(); }
  const L1CacheOptions& options() const { return options_; }

 private:
  std::uint64_t hash_of(std::string_view key) const;
  L1Shard& shard_for(std::uint64_t hash) const;

  const L1CacheOptions options_;
  const NowFn now_;
  L1Counters counters_;
  std::vector<std::unique_ptr<L1Shard>> shards_;
};

}  // namespace utxoiq::cache
