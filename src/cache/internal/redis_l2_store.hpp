#pragma once
// L2 on Redis: the L2Store of the two-level cache as four Lua scripts, each one atomic step on the
// server (lookup, fill, invalidate, count) and one round trip.
//
// Keys (every name after an optional prefix, so several deployments or tests can share a server):
//   {key}                      a HASH: v = the value (JSON text), e = epoch it was filled in,
//                              c = its named cache; PEXPIRE = the cache's TTL
//   cache:gen:{key}            generation of a key, moved by each invalidation of it
//   cache:tag:{tag}            SET of the keys carrying the tag
//   cache:taggen:{tag}         generation of a tag
//   cache:index:{cache}        ZSET key -> expiry (ms), for entry counts and eviction detection
//   cache:epoch                the store's epoch; moving it orphans every entry at once
//   cache:invalidations        the pub/sub channel
// Generations live 10 minutes after their last move: longer than any load can take, so a guard
// taken before an invalidation can never find them "unchanged" again.
//
// Eviction detection: an entry missing while its index entry says it should still live was
// dropped by Redis itself (maxmemory policy); the lookup reports it (L2 evictions statistic).
#include <chrono>
#include <string>
#include <vector>

#include "cache/l2_store.hpp"

namespace utxoiq::cache {

class RedisClient;
class RedisCommands;

struct RedisL2StoreOptions {
  std::string key_prefix;  // "" in production
  std::chrono::milliseconds generation_ttl{600'000};
};

class RedisL2Store : public L2Store {
 public:
  // `redis` must outlive the store.
  RedisL2Store(RedisClient& redis, RedisL2StoreOptions options = {});

  bool available() const override;
  Task<L2Lookup> lookup(std::string_view cache, const std::string& key,
                        const std::vector<std::string>& tags) override;
  Task<bool> fill(std::string_view cache, const std::string& key, const std::string& value,
                  resilience::Duration ttl, const std::vector<std::string>& tags,
                  const L2FillGuard& guard) override;
  Task<void> invalidate(const InvalidationMessage& message) override;
  Task<std::vector<std::uint64_t>> entry_counts(const std::vector<std::string>& caches) override;

  // The start of a new session (run on the new connection before anyone else uses it): moves the
  // epoch, so every entry filled before is a miss from now on, empties the indexes of `caches`,
  // and publishes `flush` so every instance drops its L1. Why: see cache_set.hpp.
  Task<void> begin_session(RedisCommands& connection, const std::vector<std::string>& caches,
                           const InvalidationMessage& flush) const;

  // The pub/sub channel the invalidations go to.
  const std::string& channel() const { return channel_; }
  // Redis key names (exposed for tests that look at the server directly).
  std::string value_key(const std::string& key) const { return prefix_ + key; }
  std::string tag_set_key(const std::string& tag) const { return prefix_ + "cache:tag:" + tag; }
  std::string epoch_key() const { return prefix_ + "cache:epoch"; }

 private:
  std::vector<std::string> guard_keys(std::string_view cache, const std::string& key,
                                      const std::vector<std::string>& tags) const;

  RedisClient& redis_;
  const RedisL2StoreOptions options_;
  const std::string prefix_;
  const std::string channel_;
};

}  // namespace utxoiq::cache
