// L1 cache: shard selection, budgets split over shards, stats; the per-shard work is l1_shard.cpp.
#include "cache/l1_cache.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <utility>

#include "cache/internal/frequency_sketch.hpp"
#include "cache/internal/l1_shard.hpp"

namespace utxoiq::cache {
namespace {

void validate(const L1CacheOptions& o) {
  if (o.max_entries == 0 || o.max_bytes == 0 || o.shards == 0) {
    throw std::invalid_argument("L1 cache: max_entries, max_bytes and shards must be >= 1");
  }
  if (!(o.refresh_ahead_fraction >= 0.0 && o.refresh_ahead_fraction < 1.0)) {
    throw std::invalid_argument("L1 cache: refresh_ahead_fraction must be in [0, 1)");
  }
}

// Share i of `total` split over `parts`: the remainder goes to the first shards, so the shares add
// up to exactly `total` and the cache-wide bounds hold exactly.
std::size_t share(std::size_t total, std::size_t parts, std::size_t i) {
  return total / parts + (i < total % parts ? 1 : 0);
}

}  // namespace

L1Cache::L1Cache(L1CacheOptions options, NowFn now)
    : options_((validate(options), options)), now_(std::move(now)) {
  if (!now_) throw std::invalid_argument("L1 cache: clock function is empty");
  // More shards than entries would leave shards that can hold nothing.
  const std::size_t count = std::min(options_.shards, options_.max_entries);
  shards_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const L1ShardLimits limits{.max_entries = share(options_.max_entries, count, i),
                               .max_bytes = share(options_.max_bytes, count, i),
                               .admission = options_.admission_filter,
                               .refresh_ahead_fraction = options_.refresh_ahead_fraction};
    shards_.push_back(std::make_unique<L1Shard>(limits, counters_));
  }
}

L1Cache::~L1Cache() = default;

std::optional<L1Hit> L1Cache::get(std::string_view key) {
  const std::uint64_t hash = hash_of(key);
  return shard_for(hash).get(key, hash, now_());
}

std::optional<L1Value> L1Cache::get_if_fresh(std::string_view key) {
  const std::uint64_t hash = hash_of(key);
  return shard_for(hash).get_if_fresh(key, hash, now_());
}

bool L1Cache::contains(std::string_view key) const {
  return shard_for(hash_of(key)).contains(key, now_());
}

PutOutcome L1Cache::put(std::string_view key, L1Value value, Duration ttl,
                        std::vector<std::string> tags) {
  if (!value) throw std::invalid_argument("L1 cache: null value");
  const std::uint64_t hash = hash_of(key);
  return shard_for(hash).put(key, hash, std::move(value), ttl, std::move(tags), now_(),
                             std::nullopt);
}

PutOutcome L1Cache::put(std::string_view key, std::string value, Duration ttl,
                        std::vector<std::string> tags) {
  return put(key, std::make_shared<const std::string>(std::move(value)), ttl, std::move(tags));
}

InvalidationToken L1Cache::invalidation_token(std::string_view key) const {
  return InvalidationToken{shard_for(hash_of(key)).epoch()};
}

PutOutcome L1Cache::put_unless_invalidated(InvalidationToken token, std::string_view key,
                                           L1Value value, Duration ttl,
                                           std::vector<std::string> tags) {
  if (!value) throw std::invalid_argument("L1 cache: null value");
  const std::uint64_t hash = hash_of(key);
  return shard_for(hash).put(key, hash, std::move(value), ttl, std::move(tags), now_(),
                             token.epoch);
}

bool L1Cache::invalidate(std::string_view key) {
  return shard_for(hash_of(key)).invalidate(key);
}

std::size_t L1Cache::invalidate_tag(std::string_view tag) {
  // Every shard, even those without the tag: bumping their epochs is what stops a concurrent
  // read-through fill carrying this tag from landing after the invalidation.
  std::size_t removed = 0;
  for (auto& shard : shards_) removed += shard->invalidate_tag(tag);
  return removed;
}

void L1Cache::clear() {
  for (auto& shard : shards_) shard->clear();
}

std::size_t L1Cache::purge_expired() {
  const TimePoint now = now_();
  std::size_t purged = 0;
  for (auto& shard : shards_) purged += shard->purge_expired(now);
  return purged;
}

L1Stats L1Cache::stats() const {
  return counters_.snapshot();
}

std::uint32_t L1Cache::frequency_estimate(std::string_view key) const {
  const std::uint64_t hash = hash_of(key);
  return shard_for(hash).frequency(hash);
}

std::uint64_t L1Cache::hash_of(std::string_view key) const {
  return mix_hash(std::hash<std::string_view>{}(key));
}

L1Shard& L1Cache::shard_for(std::uint64_t hash) const {
  // The high bits pick the shard; the sketch mixes the hash again for its own indexes.
  return *shards_[(hash >> 32) % shards_.size()];
}

}  // namespace utxoiq::cache
