#pragma once
// The API keys the service knows, held in memory so that authenticating a request costs a hash
// and a map lookup, never a database round trip (api.md, "Authentication and roles"). Pure data:
// the Authenticator fills it from the api_keys table (every 2 s, and on a miss) and consults it.
//
//  - Known keys: SHA-256 hex → principal. Lookups hash the digest to find the bucket and compare
//    the candidates with constant_time_equal, so timing says nothing about how much of a stored
//    hash a guess matched.
//  - Misses: an unknown hash may be looked up in the database (a key created a moment ago), but
//    each hash at most once per `negative_ttl`, and all of them together at most
//    `max_lookups_per_second`, so a flood of random keys costs the database a bounded trickle.
//    The remembered misses are bounded by `max_negative` (when full, expired ones are dropped,
//    and if none has expired the whole set is dropped): random keys cannot grow memory.
//  - Use: the ids of keys used since the last flush, for the batched last_used_at update.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/principal.hpp"
#include "store/api_key_store.hpp"

namespace utxoiq::api {

class ApiKeyRing {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    std::size_t max_negative = 10'000;
    std::chrono::milliseconds negative_ttl{3'000};
    int max_lookups_per_second = 50;
  };

  ApiKeyRing() : ApiKeyRing(Options{}) {}
  explicit ApiKeyRing(Options options) : options_(options) {}

  // Replaces every known key (the result of a full reload). Keys with an unknown role are skipped.
  void replace(const std::vector<store::ActiveApiKey>& keys);
  // Adds or updates one key (found by a miss lookup); forgets it as a miss.
  void add(const store::ActiveApiKey& key);
  // The principal of a known key hash.
  std::optional<http::Principal> find(std::string_view key_hash) const;

  // Whether an unknown hash may be looked up in the database now; when true, one lookup of the
  // per-second budget is taken.
  bool may_look_up(std::string_view key_hash, Clock::time_point now);
  // Records that a lookup found no active key with this hash.
  void note_miss(std::string_view key_hash, Clock::time_point now);

  void mark_used(const std::string& key_id);
  // The ids marked since the last call (and clears them).
  std::vector<std::string> take_used();

  std::size_t size() const { return keys_.size(); }
  std::size_t remembered_misses() const { return misses_.size(); }

 private:
  struct ConstantTimeEqual {
    bool operator()(const std::string& a, const std::string& b) const;
  };

  Options options_;
  std::unordered_map<std::string, http::Principal, std::hash<std::string>, ConstantTimeEqual> keys_;
  std::unordered_map<std::string, Clock::time_point> misses_;  // hash → when it was missed
  Clock::time_point budget_window_{};
  int budget_used_ = 0;
  std::unordered_set<std::string> used_;
};

}  // namespace utxoiq::api
