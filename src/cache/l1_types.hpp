#pragma once
// Value types of the L1 cache's interface, shared by the cache (l1_cache.hpp) and its shards
// (l1_shard.hpp).
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "resilience/clock.hpp"

namespace utxoiq::cache {

using resilience::Duration;
using resilience::NowFn;
using resilience::TimePoint;

// A cached value: serialized JSON, shared so that a hit hands out a reference, not a copy.
using L1Value = std::shared_ptr<const std::string>;

struct L1Hit {
  L1Value value;
  // True for the first get that finds the entry in the last refresh_ahead_fraction of its TTL
  // (and false for every later get of the same entry), so exactly one caller refreshes a hot key
  // before it expires instead of all of them at once. A new put re-arms it.
  bool needs_refresh = false;
  Duration ttl_left{};  // > 0
};

enum class PutOutcome {
  stored,                 // a new entry
  replaced,               // the key was there: its value, TTL and tags are the new ones
  rejected_by_admission,  // cache full and the key is less popular than what it would evict
  too_large,              // key + value exceed the shard's byte budget; any old entry is removed
  zero_ttl,               // ttl <= 0: nothing stored; any old entry is removed
  invalidated,            // put_unless_invalidated: an invalidation came after the token
};

std::string_view to_string(PutOutcome outcome);

// Figures for metrics, read without locks. entries/bytes include expired entries not yet removed.
struct L1Stats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t evictions = 0;      // removed to make room
  std::uint64_t expirations = 0;    // removed because their TTL was over
  std::uint64_t rejections = 0;     // puts refused by the admission filter
  std::uint64_t invalidations = 0;  // removed by invalidate / invalidate_tag / clear
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;
};

// The live counters behind L1Stats, updated by the shards (under their own locks, hence relaxed).
struct L1Counters {
  std::atomic<std::uint64_t> hits{0};
  std::atomic<std::uint64_t> misses{0};
  std::atomic<std::uint64_t> evictions{0};
  std::atomic<std::uint64_t> expirations{0};
  std::atomic<std::uint64_t> rejections{0};
  std::atomic<std::uint64_t> invalidations{0};
  std::atomic<std::uint64_t> entries{0};
  std::atomic<std::uint64_t> bytes{0};

  L1Stats snapshot() const;
};

}  // namespace utxoiq::cache
