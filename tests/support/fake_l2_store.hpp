#pragma once
// An in-memory L2Store (our own interface, cache/l2_store.hpp) for unit and property tests of the
// two-level cache: the same rules as the Redis store (TTL on the injected clock, generations per
// key and tag and an epoch behind the fill guard, tag sets, eviction reports), plus switches to
// make it unavailable or failing, and counters of what was asked. Integration tests use the real
// Redis store instead.
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cache/l2_store.hpp"
#include "resilience/clock.hpp"

namespace utxoiq::testing {

class FakeL2Store : public cache::L2Store {
 public:
  explicit FakeL2Store(resilience::NowFn now) : now_(std::move(now)) {}

  bool available() const override { return available_; }
  Task<cache::L2Lookup> lookup(std::string_view cache, const std::string& key,
                               const std::vector<std::string>& tags) override;
  Task<bool> fill(std::string_view cache, const std::string& key, const std::string& value,
                  resilience::Duration ttl, const std::vector<std::string>& tags,
                  const cache::L2FillGuard& guard) override;
  Task<void> invalidate(const cache::InvalidationMessage& message) override;
  Task<std::vector<std::uint64_t>> entry_counts(const std::vector<std::string>& caches) override;

  // Test controls.
  void set_available(bool on) { available_ = on; }
  void set_failing(bool on) { failing_ = on; }  // every call throws, as a lost connection would
  void evict(const std::string& key);           // as Redis under maxmemory would
  void bump_epoch() { ++epoch_; }               // as a new session does
  bool contains(const std::string& key) const;
  std::optional<std::string> value_of(const std::string& key) const;

  std::uint64_t lookups = 0;
  std::uint64_t fills = 0;
  std::uint64_t fills_refused = 0;
  std::vector<cache::InvalidationMessage> published;
  // Called for every published message (a fake bus to other instances).
  std::function<void(const cache::InvalidationMessage&)> on_publish;

 private:
  struct Entry {
    std::string value;
    std::string cache;
    resilience::TimePoint expires_at;
    std::uint64_t epoch = 0;
  };
  void fail_if_failing() const;
  bool live(const Entry& e) const { return now_() < e.expires_at; }
  cache::L2FillGuard guard_for(const std::string& key, const std::vector<std::string>& tags) const;
  void drop(const std::string& key);

  resilience::NowFn now_;
  bool available_ = true;
  bool failing_ = false;
  std::uint64_t epoch_ = 0;
  std::map<std::string, Entry> entries_;
  std::map<std::string, std::uint64_t> key_generations_;
  std::map<std::string, std::uint64_t> tag_generations_;
  std::map<std::string, std::set<std::string>> tag_members_;
  std::set<std::string> evicted_;
};

}  // namespace utxoiq::testing
