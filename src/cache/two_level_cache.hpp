#pragma once
// One named cache (feedback_stats, backfill_job, ...): L1 (the in-process cache, l1_cache.hpp) in
// front of L2 (l2_store.hpp: Redis) in front of the loader (the database). Values are strings
// (serialized JSON); the cache knows no domain types.
//
//   auto stats = co_await cache.get_or_load(feedback_stats_key(id), [repo, id]()
//       -> Task<std::optional<std::string>> { co_return to_json_text(co_await repo.stats(id)); },
//       {insight_tag(id)});
//   ... after a write: co_await caches.invalidate({feedback_stats_key(id)});   (cache_set.hpp)
//
// Reads: an L1 hit returns at once and never calls the loader. A miss asks L2, then the loader,
// and fills both; a loader's nullopt ("not found") is returned and not cached. ONE load per key at
// a time: a miss that finds a load of the same key in flight waits for it and shares its result
// (single-flight, on the io thread; no locks). A hit in the last refresh_ahead_fraction of its L1
// TTL (15% by default) starts a background refresh of the key, once, so hot keys are reloaded
// before they expire instead of all missing at the same moment.
//
// Freshness (api.md: a write is visible at once on its instance, within 1 s on the others):
//  - an invalidation drops the key from L1 at once and detaches a load in flight: later readers
//    start a new load instead of joining one that may have read the old value, and that old load
//    fills neither L1 (the L1 invalidation token) nor L2 (the L2 fill guard);
//  - while this instance does not hear invalidations (context.hearing() false: the subscriber is
//    down, see cache_set.hpp) an L1 entry lives at most unheard_ttl_cap (1 s).
// L2 unavailable or failing: the read goes to the loader and succeeds; L2 is neither read nor
// filled for it.
//
// The loader may run in the background (refresh) after the request that supplied it is over: it
// must own what it uses (capture by value; repositories and pools by reference are fine, they
// outlive the cache), never reference the request.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cache/l1_cache.hpp"
#include "cache/l2_store.hpp"
#include "resilience/clock.hpp"
#include "util/task.hpp"

namespace utxoiq::cache {

using CachedValue = std::shared_ptr<const std::string>;

struct TwoLevelCacheOptions {
  std::string name;
  resilience::Duration ttl = std::chrono::minutes(5);
  // Entry and byte bounds, admission filter; refresh_ahead_fraction drives the early refresh.
  L1CacheOptions l1{.max_entries = 1000,
                    .max_bytes = 16 * 1024 * 1024,
                    .shards = 16,
                    .refresh_ahead_fraction = 0.15,
                    .admission_filter = true};
};

// What the named caches of one instance share.
struct CacheContext {
  L2Store* l2 = nullptr;  // nullptr: no second level (no Redis configured)
  // Whether this instance hears other instances' invalidations right now; empty: always.
  std::function<bool()> hearing;
  resilience::Duration unheard_ttl_cap = std::chrono::seconds(1);
  std::string instance_id;  // origin of this instance's invalidation messages
  // Called when an invalidation could not be passed on to L2 and the other instances.
  std::function<void()> on_invalidation_lost;
  resilience::NowFn now = resilience::steady_now;
};

struct CacheLevelStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t entries = 0;
  std::uint64_t evictions = 0;
  // hits / (hits + misses); nullopt before any lookup.
  std::optional<double> hit_rate() const;
};

struct TwoLevelCacheStats {
  std::string name;
  CacheLevelStats l1;
  CacheLevelStats l2;               // entries: set by CacheSet::stats (the count lives in Redis)
  std::uint64_t loads = 0;          // loader calls
  std::uint64_t load_failures = 0;  // loader calls that threw
  std::uint64_t coalesced = 0;      // misses that joined a load in flight instead of loading
  std::uint64_t refreshes = 0;      // background refreshes started
  std::uint64_t l2_errors = 0;      // L2 calls that got no answer
  std::uint64_t l2_fills = 0;
  std::uint64_t l2_fills_refused = 0;  // the fill guard saw an invalidation
  std::uint64_t l1_rejections = 0;     // admission filter said no
  std::uint64_t l1_expirations = 0;
  std::uint64_t l1_invalidations = 0;
};

class TwoLevelCache {
 public:
  using Loader = std::function<Task<std::optional<std::string>>()>;

  TwoLevelCache(TwoLevelCacheOptions options, CacheContext context);
  ~TwoLevelCache();
  TwoLevelCache(const TwoLevelCache&) = delete;
  TwoLevelCache& operator=(const TwoLevelCache&) = delete;

  // The value of `key`: from L1, L2 or the loader (see above); nullopt when the loader found
  // nothing. `tags` must be the same for every call with the same key. Throws what the loader
  // throws (L2 failures never reach the caller).
  Task<std::optional<CachedValue>> get_or_load(std::string key, Loader loader,
                                               std::vector<std::string> tags = {});

  // The cheap path of a hit: the value when L1 holds `key` live and not due for its refresh-ahead
  // (counted as a hit), else nullopt and nothing counted: then call get_or_load. A reader asks
  // this first, so a hit builds no loader, no tags and no coroutine of the cache.
  std::optional<CachedValue> fresh_hit(std::string_view key);

  // Write-through, after invalidate(): starts loading `key` in the background and returns at once;
  // the value goes into L1 and L2 (the same fill guard as a read's), so the next read of what was
  // just written is a hit, or joins the load if it comes first. Counts no lookup (no read asked
  // for it); does nothing when a load of the key is already under way. Never throws: a failed load
  // is logged and leaves the key to the next read.
  Task<void> reload(std::string key, Loader loader, std::vector<std::string> tags = {});

  // Whether this instance holds `key` in L1 (live) or is loading it; changes nothing. A write asks
  // before its invalidation, to reload only what this instance is reading: a key nobody read here
  // is left to the first read that wants it.
  bool held_here(const std::string& key) const;

  // After a write: drops the keys and every entry carrying a tag here at once, then in L2 and in
  // every other instance's L1. Never throws (see invalidate_everywhere).
  Task<void> invalidate(std::vector<std::string> keys, std::vector<std::string> tags = {});

  // This instance's L1 only (and loads in flight for what it drops).
  void invalidate_local(const std::vector<std::string>& keys, const std::vector<std::string>& tags);
  void clear_local();

  TwoLevelCacheStats stats() const;
  const std::string& name() const;
  resilience::Duration ttl() const;

  struct Core;

 private:
  std::shared_ptr<Core> core_;
};

// Drops keys and tags from the L1 of every cache in `local` at once, then from L2 and every
// other instance (one L2 call). Never throws: a failure is logged and reported through
// context.on_invalidation_lost (the write it follows has succeeded; what the other instances do
// about not hearing of it is cache_set.hpp's rule).
Task<void> invalidate_everywhere(const CacheContext& context, std::span<TwoLevelCache* const> local,
                                 std::vector<std::string> keys, std::vector<std::string> tags);

}  // namespace utxoiq::cache
