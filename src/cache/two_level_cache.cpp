// TwoLevelCache: L1 -> L2 -> loader with single-flight and background refresh; see
// two_level_cache.hpp for the rules.
#include "cache/two_level_cache.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <stdexcept>
#include <unordered_map>

#include "obs/logging.hpp"

namespace utxoiq::cache {

namespace asio = boost::asio;
using resilience::Duration;

std::optional<double> CacheLevelStats::hit_rate() const {
  const std::uint64_t lookups = hits + misses;
  if (lookups == 0) return std::nullopt;
  return static_cast<double>(hits) / static_cast<double>(lookups);
}

namespace {

// One load of one key, shared by every miss of that key while it runs.
struct Flight {
  std::vector<std::string> tags;
  bool done = false;
  std::optional<CachedValue> result;
  std::exception_ptr error;
  std::vector<std::shared_ptr<asio::steady_timer>> waiters;  // cancelled when done
};

struct Counter {
  std::atomic<std::uint64_t> value{0};
  void inc() { value.fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t get() const { return value.load(std::memory_order_relaxed); }
};

}  // namespace

struct TwoLevelCache::Core {
  Core(TwoLevelCacheOptions cache_options, CacheContext cache_context)
      : options(std::move(cache_options)),
        context(std::move(cache_context)),
        l1(options.l1, context.now) {
    if (options.ttl <= Duration::zero()) throw std::invalid_argument("cache ttl must be > 0");
    refresh_window =
        std::chrono::duration_cast<Duration>(options.ttl * options.l1.refresh_ahead_fraction);
  }

  const TwoLevelCacheOptions options;
  const CacheContext context;
  L1Cache l1;
  Duration refresh_window{};
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights;
  bool closed = false;  // the cache object is gone; a background refresh must not touch L2

  // Stats are read from other threads (tests, metrics), hence atomics; all writes are on the loop.
  Counter l2_hits, l2_misses, l2_evictions, loads, load_failures, coalesced, refreshes, l2_errors,
      l2_fills, l2_fills_refused;

  bool hearing() const { return !context.hearing || context.hearing(); }

  Duration l1_ttl(Duration wanted) const {
    return hearing() ? wanted : std::min(wanted, context.unheard_ttl_cap);
  }

  void complete(const std::string& key, const std::shared_ptr<Flight>& flight) {
    flight->done = true;
    for (const auto& waiter : flight->waiters) waiter->cancel();
    flight->waiters.clear();
    const auto it = flights.find(key);
    if (it != flights.end() && it->second == flight) flights.erase(it);
  }
};

namespace {

using Core = TwoLevelCache::Core;

// Why a load runs: for a read that missed, to refresh a hot entry before it expires, or to reload
// an entry a write just invalidated (write-through; no read asked, so no lookup is counted).
enum class Purpose { read, refresh, reload };

// The load itself: L2, else the loader; fills L2 (guarded) and L1 (unless invalidated meanwhile).
// Records the outcome in the flight and wakes its waiters; never throws.
Task<void> fly(std::shared_ptr<Core> core, std::string key, std::shared_ptr<Flight> flight,
               TwoLevelCache::Loader loader, Purpose purpose) {
  const bool refresh = purpose == Purpose::refresh;
  const bool counted = purpose != Purpose::reload;
  // Taken before anything is read: an invalidation of this key's shard from here on makes the
  // L1 put below a no-op.
  const InvalidationToken token = core->l1.invalidation_token(key);
  try {
    std::optional<CachedValue> value;
    Duration l1_ttl = core->options.ttl;
    std::optional<L2FillGuard> guard;
    L2Store* const l2 = core->context.l2;
    if (l2 != nullptr && l2->available()) {
      try {
        L2Lookup found = co_await l2->lookup(core->options.name, key, flight->tags);
        guard = std::move(found.guard);
        if (found.evicted) core->l2_evictions.inc();
        // A refresh wants a value that will outlive the one it replaces: an L2 entry about to
        // expire itself is reloaded (and L2 refilled) too.
        if (found.value && !(refresh && found.ttl_left <= core->refresh_window)) {
          if (counted) core->l2_hits.inc();
          value = std::make_shared<const std::string>(std::move(*found.value));
          l1_ttl = std::min(l1_ttl, found.ttl_left);
        } else if (counted) {
          core->l2_misses.inc();
        }
      } catch (const std::exception& e) {
        core->l2_errors.inc();
        if (counted) core->l2_misses.inc();
        guard.reset();  // no guard, no fill: we cannot tell whether L2 is fresh
        obs::log_debug("cache L2 lookup failed",
                       {{"cache", core->options.name}, {"error", e.what()}});
      }
    }
    if (!value) {
      core->loads.inc();
      std::optional<std::string> loaded;
      try {
        loaded = co_await loader();
      } catch (...) {
        core->load_failures.inc();
        throw;
      }
      if (loaded) {
        value = std::make_shared<const std::string>(std::move(*loaded));
        if (guard && !core->closed) {
          try {
            const bool stored = co_await l2->fill(core->options.name, key, **value,
                                                  core->options.ttl, flight->tags, *guard);
            stored ? core->l2_fills.inc() : core->l2_fills_refused.inc();
          } catch (const std::exception& e) {
            core->l2_errors.inc();
            obs::log_debug("cache L2 fill failed",
                           {{"cache", core->options.name}, {"error", e.what()}});
          }
        }
      }
    }
    if (value && !core->closed) {
      core->l1.put_unless_invalidated(token, key, *value, core->l1_ttl(l1_ttl), flight->tags);
    }
    flight->result = std::move(value);
  } catch (...) {
    flight->error = std::current_exception();
  }
  core->complete(key, flight);
}

Task<std::optional<CachedValue>> join(std::shared_ptr<Flight> flight) {
  if (!flight->done) {
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                      asio::steady_timer::time_point::max());
    flight->waiters.push_back(timer);
    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    if (!flight->done) {  // our own caller was cancelled
      throw boost::system::system_error(asio::error::operation_aborted);
    }
  }
  if (flight->error) std::rethrow_exception(flight->error);
  co_return flight->result;
}

Task<void> load_in_background(std::shared_ptr<Core> core, std::string key,
                              std::shared_ptr<Flight> flight, TwoLevelCache::Loader loader,
                              Purpose purpose) {
  co_await fly(core, key, flight, std::move(loader), purpose);
  if (flight->error) {
    try {
      std::rethrow_exception(flight->error);
    } catch (const std::exception& e) {
      // The entry stays until its TTL; the next miss tries again (and reports to its caller).
      obs::log_warn("cache refresh failed", {{"cache", core->options.name}, {"error", e.what()}});
    } catch (...) {
    }
  }
}

}  // namespace

TwoLevelCache::TwoLevelCache(TwoLevelCacheOptions options, CacheContext context)
    : core_(std::make_shared<Core>(std::move(options), std::move(context))) {}

TwoLevelCache::~TwoLevelCache() {
  core_->closed = true;
}

Task<std::optional<CachedValue>> TwoLevelCache::get_or_load(std::string key, Loader loader,
                                                            std::vector<std::string> tags) {
  auto core = core_;
  if (auto hit = core->l1.get(key)) {
    if (hit->needs_refresh && !core->flights.contains(key)) {
      auto flight = std::make_shared<Flight>();
      flight->tags = std::move(tags);
      core->flights.emplace(key, flight);
      core->refreshes.inc();
      asio::co_spawn(co_await asio::this_coro::executor,
                     load_in_background(core, key, flight, std::move(loader), Purpose::refresh),
                     asio::detached);
    }
    co_return hit->value;
  }
  if (const auto it = core->flights.find(key); it != core->flights.end()) {
    core->coalesced.inc();
    co_return co_await join(it->second);
  }
  auto flight = std::make_shared<Flight>();
  flight->tags = std::move(tags);
  core->flights.emplace(key, flight);
  co_await fly(core, key, flight, std::move(loader), Purpose::read);
  if (flight->error) std::rethrow_exception(flight->error);
  co_return flight->result;
}

std::optional<CachedValue> TwoLevelCache::fresh_hit(std::string_view key) {
  return core_->l1.get_if_fresh(key);
}

Task<void> TwoLevelCache::reload(std::string key, Loader loader, std::vector<std::string> tags) {
  auto core = core_;
  if (core->flights.contains(key)) co_return;  // a load begun after the invalidation fills it
  auto flight = std::make_shared<Flight>();
  flight->tags = std::move(tags);
  core->flights.emplace(key, flight);
  asio::co_spawn(
      co_await asio::this_coro::executor,
      load_in_background(core, std::move(key), flight, std::move(loader), Purpose::reload),
      asio::detached);
}

bool TwoLevelCache::held_here(const std::string& key) const {
  const Core& core = *core_;
  return core.l1.contains(key) || core.flights.contains(key);
}

Task<void> TwoLevelCache::invalidate(std::vector<std::string> keys, std::vector<std::string> tags) {
  TwoLevelCache* const self[] = {this};
  co_await invalidate_everywhere(core_->context, self, std::move(keys), std::move(tags));
}

void TwoLevelCache::invalidate_local(const std::vector<std::string>& keys,
                                     const std::vector<std::string>& tags) {
  Core& core = *core_;
  for (const std::string& key : keys) {
    core.l1.invalidate(key);
    core.flights.erase(key);
  }
  for (const std::string& tag : tags) {
    core.l1.invalidate_tag(tag);
    std::erase_if(core.flights, [&](const auto& entry) {
      const auto& flight_tags = entry.second->tags;
      return std::find(flight_tags.begin(), flight_tags.end(), tag) != flight_tags.end();
    });
  }
}

void TwoLevelCache::clear_local() {
  core_->l1.clear();
  core_->flights.clear();
}

TwoLevelCacheStats TwoLevelCache::stats() const {
  const Core& core = *core_;
  const L1Stats l1 = core.l1.stats();
  TwoLevelCacheStats s;
  s.name = core.options.name;
  s.l1 = {.hits = l1.hits, .misses = l1.misses, .entries = l1.entries, .evictions = l1.evictions};
  s.l2 = {.hits = core.l2_hits.get(),
          .misses = core.l2_misses.get(),
          .entries = 0,
          .evictions = core.l2_evictions.get()};
  s.loads = core.loads.get();
  s.load_failures = core.load_failures.get();
  s.coalesced = core.coalesced.get();
  s.refreshes = core.refreshes.get();
  s.l2_errors = core.l2_errors.get();
  s.l2_fills = core.l2_fills.get();
  s.l2_fills_refused = core.l2_fills_refused.get();
  s.l1_rejections = l1.rejections;
  s.l1_expirations = l1.expirations;
  s.l1_invalidations = l1.invalidations;
  return s;
}

const std::string& TwoLevelCache::name() const {
  return core_->options.name;
}

Duration TwoLevelCache::ttl() const {
  return core_->options.ttl;
}

Task<void> invalidate_everywhere(const CacheContext& context, std::span<TwoLevelCache* const> local,
                                 std::vector<std::string> keys, std::vector<std::string> tags) {
  for (TwoLevelCache* cache : local) cache->invalidate_local(keys, tags);
  if (context.l2 == nullptr) co_return;  // no Redis: nobody else to tell
  // Copied first: `context` belongs to the caller, who may not outlive the suspension below
  // unchanged (and the message must be what we dropped locally).
  InvalidationMessage message{context.instance_id, std::move(keys), std::move(tags), false};
  L2Store* const l2 = context.l2;
  auto on_lost = context.on_invalidation_lost;
  try {
    co_await l2->invalidate(message);
  } catch (const std::exception& e) {
    obs::log_debug("cache invalidation not passed on", {{"error", e.what()}});
    if (on_lost) on_lost();
  }
}

}  // namespace utxoiq::cache
