#pragma once
// The second level of the two-level cache, as the cache sees it: Redis in production
// (redis_l2_store.hpp), an in-memory fake of this interface in unit and property tests.
//
// The fill guard is what keeps L2 from being filled with stale data: a lookup returns, with its
// answer, the generation of everything that could invalidate the key (the key itself, each of its
// tags, the whole store); fill() stores only if none of them moved since. So a value read from the
// database before a write can never land in L2 after that write's invalidation, which a plain
// "SET after miss" would let happen (and leave there for the whole TTL).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/invalidation_message.hpp"
#include "resilience/clock.hpp"
#include "util/task.hpp"

namespace utxoiq::cache {

// Opaque to the cache: handed from lookup() to fill().
struct L2FillGuard {
  std::vector<std::string> generations;
};

struct L2Lookup {
  std::optional<std::string> value;  // nullopt: a miss
  resilience::Duration ttl_left{};   // of a hit
  // A miss of an entry the store dropped before its TTL ran out (Redis evicting under maxmemory).
  bool evicted = false;
  L2FillGuard guard;
};

class L2Store {
 public:
  virtual ~L2Store() = default;

  // False when a call would fail at once (not connected, circuit open, disabled): the cache then
  // skips L2 without trying.
  virtual bool available() const = 0;

  // `cache` names the named cache (its statistics); `tags` are the key's tags (their generations
  // go into the guard). Throws when the store does not answer.
  virtual Task<L2Lookup> lookup(std::string_view cache, const std::string& key,
                                const std::vector<std::string>& tags) = 0;

  // Stores value for ttl with the tags, unless an invalidation came after the lookup that gave
  // `guard`; true when stored. Throws when the store does not answer.
  virtual Task<bool> fill(std::string_view cache, const std::string& key, const std::string& value,
                          resilience::Duration ttl, const std::vector<std::string>& tags,
                          const L2FillGuard& guard) = 0;

  // Removes the keys and every entry carrying one of the tags (moving their generations), and
  // passes the message to every instance (pub/sub), in one atomic step. Throws when that could
  // not be done: the caller must then assume other instances did not hear of it.
  virtual Task<void> invalidate(const InvalidationMessage& message) = 0;

  // Live entries per named cache (an estimate: expired entries leave the count lazily).
  virtual Task<std::vector<std::uint64_t>> entry_counts(const std::vector<std::string>& caches) = 0;
};

}  // namespace utxoiq::cache
