#pragma once
// Approximate access frequencies for the L1 cache's admission filter (TinyLFU, Einziger, Friedman
// and Manes, "TinyLFU: A Highly Efficient Cache Admission Policy", 2017):
//  - a count-min sketch of 4 rows of 4-bit counters (saturating at 15), updated conservatively
//    (only the smallest counters grow), so an estimate never falls below the true count since the
//    last aging (up to the cap), and is rarely much above it;
//  - a doorkeeper (a small Bloom filter) in front of it: a key's first access only sets its bits,
//    so the many keys seen once never reach the counters;
//  - aging: after `sample_size` increments every counter is halved and the doorkeeper cleared, so
//    the estimates follow what is popular now, not what was popular an hour ago.
//
// Our own code: Caffeine has this in Java; no packaged C++ cache library provides it. Not
// thread-safe: each cache shard owns one and uses it under its own mutex. Deterministic: the same
// sequence of hashes always gives the same estimates (the L1 tests depend on it).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace utxoiq::cache {

// A 64-bit mix (the splitmix64 finalizer): spreads std::hash values, which for some types are
// the identity, over all bits before they pick shards and counters.
std::uint64_t mix_hash(std::uint64_t x);

class FrequencySketch {
 public:
  // Sized for a cache of `capacity` entries: counters per row = next power of two >= capacity
  // (at least 16), sample size = 40 x capacity (at least 640).
  explicit FrequencySketch(std::size_t capacity);

  void increment(std::uint64_t key_hash);
  // Estimated accesses since the counters were last halved: 0 for a key never seen, 1 for a key
  // seen once (doorkeeper), up to 16.
  std::uint32_t estimate(std::uint64_t key_hash) const;

  std::uint64_t agings() const { return agings_; }
  std::size_t sample_size() const { return sample_size_; }

 private:
  static constexpr std::size_t kDepth = 4;
  static constexpr std::size_t kSampleFactor = 40;
  static constexpr std::uint8_t kMaxCount = 15;
  static constexpr std::size_t kDoorkeeperProbes = 2;

  std::size_t counter_index(std::uint64_t key_hash, std::size_t row) const;
  std::size_t doorkeeper_bit(std::uint64_t key_hash, std::size_t probe) const;
  bool doorkeeper_contains(std::uint64_t key_hash) const;
  void doorkeeper_add(std::uint64_t key_hash);
  std::uint8_t min_count(std::uint64_t key_hash) const;
  void age();

  std::size_t width_mask_;
  std::vector<std::uint8_t> counters_;  // kDepth rows of width_mask_ + 1 counters
  std::size_t doorkeeper_mask_;
  std::vector<std::uint64_t> doorkeeper_;
  std::size_t sample_size_;
  std::size_t additions_ = 0;
  std::uint64_t agings_ = 0;
};

}  // namespace utxoiq::cache
