// L1 cache under random sequences of puts (random sizes, TTLs and tags), gets, invalidations, tag
// invalidations, purges, clears and clock advances.
//
// SingleShardMatchesModel: one shard against a plain model (a list in recency order), with and
// without the admission filter. It pins down the exact eviction rule of l1_shard.hpp: the entries
// that leave are always the least recently used ones, taken from the LRU end until the newcomer
// fits; a present key is always replaced; with admission on, a new key that needs victims gets in
// exactly when its frequency estimate beats every live victim's, and otherwise nothing changes.
// Also: a get returns exactly the model's live value (so never an expired or invalidated one),
// needs_refresh comes once in the last quarter of the TTL, entries/bytes figures are exact.
//
// ShardedKeepsBoundsAndFreshness: several shards, checked without a model: never more than the
// entry and byte budgets, a stored value is readable right after its put, a hit is always the
// latest value put for the key and never past its TTL, and invalidate_tag removes exactly the
// live entries carrying the tag.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cache/l1_cache.hpp"
#include "resilience/clock.hpp"

namespace utxoiq::cache {
namespace {

using resilience::ManualClock;
using std::chrono::milliseconds;

constexpr int kKeys = 12;
constexpr int kTags = 4;

struct Op {
  enum Kind { put, get, invalidate, invalidate_tag, tick, purge, clear } kind;
  int key;
  int size;    // value bytes
  int ttl_ms;  // 0 means "zero TTL"
  int tags;    // bit mask over kTags tags
};

std::ostream& operator<<(std::ostream& os, const Op& op) {
  static const char* names[] = {"put",  "get",   "invalidate", "invalidate_tag",
                                "tick", "purge", "clear"};
  return os << names[op.kind] << "(k" << op.key << " size " << op.size << " ttl " << op.ttl_ms
            << "ms tags " << op.tags << ")";
}

rc::Gen<Op> gen_op(int max_size) {
  return rc::gen::apply(
      [](Op::Kind kind, int key, int size, int ttl, int tags) {
        return Op{kind, key, size, ttl, tags};
      },
      rc::gen::weightedElement<Op::Kind>({{10, Op::put},
                                          {10, Op::get},
                                          {2, Op::invalidate},
                                          {2, Op::invalidate_tag},
                                          {4, Op::tick},
                                          {1, Op::purge},
                                          {1, Op::clear}}),
      rc::gen::inRange(0, kKeys), rc::gen::inRange(0, max_size),
      rc::gen::weightedOneOf<int>({{1, rc::gen::just(0)}, {12, rc::gen::inRange(1, 20'000)}}),
      rc::gen::inRange(0, 1 << kTags));
}

std::string key_name(int k) {
  return "k" + std::to_string(k);
}
std::string tag_name(int t) {
  return "t" + std::to_string(t);
}
std::vector<std::string> tag_names(int mask) {
  std::vector<std::string> names;
  for (int t = 0; t < kTags; ++t) {
    if (mask & (1 << t)) names.push_back(tag_name(t));
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Exact model of one shard.

struct ModelEntry {
  std::string key;
  std::string value;
  std::size_t bytes;
  TimePoint expires;
  TimePoint refresh_at;
  bool refresh_claimed;
  std::set<std::string> tags;
};

class ShardModel {
 public:
  ShardModel(std::size_t max_entries, std::size_t max_bytes, double refresh_fraction)
      : max_entries_(max_entries), max_bytes_(max_bytes), refresh_fraction_(refresh_fraction) {}

  std::list<ModelEntry>::iterator end() { return lru_.end(); }
  std::list<ModelEntry>::iterator find(const std::string& key) {
    return std::find_if(lru_.begin(), lru_.end(), [&](const auto& e) { return e.key == key; });
  }

  // The hit's value and needs_refresh, or nothing.
  std::optional<std::pair<std::string, bool>> get(const std::string& key, TimePoint now) {
    auto it = find(key);
    if (it == lru_.end()) return std::nullopt;
    if (now >= it->expires) {
      erase(it);
      return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it);
    bool refresh = false;
    if (!it->refresh_claimed && now >= it->refresh_at) {
      it->refresh_claimed = true;
      refresh = true;
    }
    return std::pair{it->value, refresh};
  }

  // Victims a new entry of `bytes` would need, LRU end first.
  std::vector<std::list<ModelEntry>::iterator> victims_for(std::size_t bytes) {
    std::vector<std::list<ModelEntry>::iterator> victims;
    std::size_t freed = 0;
    auto it = lru_.end();
    while (lru_.size() - victims.size() + 1 > max_entries_ || bytes_ - freed + bytes > max_bytes_) {
      --it;
      victims.push_back(it);
      freed += it->bytes;
    }
    return victims;
  }

  void insert_front(ModelEntry entry) {
    bytes_ += entry.bytes;
    lru_.push_front(std::move(entry));
  }

  void replace(std::list<ModelEntry>::iterator it, ModelEntry entry) {
    bytes_ = bytes_ - it->bytes + entry.bytes;
    *it = std::move(entry);
    lru_.splice(lru_.begin(), lru_, it);
    while (lru_.size() > max_entries_ || bytes_ > max_bytes_) erase(std::prev(lru_.end()));
  }

  void erase(std::list<ModelEntry>::iterator it) {
    bytes_ -= it->bytes;
    lru_.erase(it);
  }

  std::size_t invalidate_tag(const std::string& tag) {
    std::size_t n = 0;
    for (auto it = lru_.begin(); it != lru_.end();) {
      auto next = std::next(it);
      if (it->tags.count(tag)) {
        erase(it);
        ++n;
      }
      it = next;
    }
    return n;
  }

  void purge(TimePoint now) {
    for (auto it = lru_.begin(); it != lru_.end();) {
      auto next = std::next(it);
      if (now >= it->expires) erase(it);
      it = next;
    }
  }

  void clear() {
    lru_.clear();
    bytes_ = 0;
  }

  bool live(const std::string& key, TimePoint now) {
    auto it = find(key);
    return it != lru_.end() && now < it->expires;
  }

  std::size_t size() const { return lru_.size(); }
  std::size_t bytes() const { return bytes_; }
  std::size_t max_bytes() const { return max_bytes_; }
  double refresh_fraction() const { return refresh_fraction_; }

 private:
  std::size_t max_entries_;
  std::size_t max_bytes_;
  double refresh_fraction_;
  std::list<ModelEntry> lru_;
  std::size_t bytes_ = 0;
};

RC_GTEST_PROP(L1CacheModel, SingleShardMatchesModel, ()) {
  L1CacheOptions options;
  options.shards = 1;
  options.max_entries = *rc::gen::inRange<std::size_t>(1, 9);
  options.max_bytes = *rc::gen::inRange<std::size_t>(10, 200);
  options.admission_filter = *rc::gen::arbitrary<bool>();
  options.refresh_ahead_fraction = 0.25;
  const auto count = *rc::gen::inRange<std::size_t>(0, 300);
  const auto ops = *rc::gen::container<std::vector<Op>>(count, gen_op(60));

  ManualClock clock;
  L1Cache cache(options, clock.fn());
  ShardModel model(options.max_entries, options.max_bytes, options.refresh_ahead_fraction);
  int sequence = 0;
  std::set<PutOutcome> outcomes;

  for (const Op& op : ops) {
    const TimePoint now = clock.now();
    const std::string key = key_name(op.key);
    switch (op.kind) {
      case Op::put: {
        const std::string value = std::to_string(sequence++) + std::string(op.size, 'x');
        const std::size_t bytes = key.size() + value.size();
        const auto ttl = std::chrono::duration_cast<Duration>(milliseconds(op.ttl_ms));
        const auto tags = tag_names(op.tags);
        ModelEntry entry{key,
                         value,
                         bytes,
                         now + ttl,
                         now + ttl - std::chrono::duration_cast<Duration>(ttl * 0.25),
                         false,
                         std::set<std::string>(tags.begin(), tags.end())};
        PutOutcome expected;
        auto present = model.find(key);
        if (op.ttl_ms == 0 || bytes > model.max_bytes()) {
          expected = op.ttl_ms == 0 ? PutOutcome::zero_ttl : PutOutcome::too_large;
          if (present != model.end()) model.erase(present);
        } else if (present != model.end()) {
          expected = PutOutcome::replaced;
          model.replace(present, entry);
        } else {
          const auto victims = model.victims_for(bytes);
          bool admit = true;
          if (options.admission_filter && !victims.empty()) {
            const std::uint32_t candidate = cache.frequency_estimate(key);
            for (const auto& v : victims) {
              if (now < v->expires && candidate <= cache.frequency_estimate(v->key)) admit = false;
            }
          }
          if (admit) {
            for (const auto& v : victims) model.erase(v);
            model.insert_front(entry);
            expected = PutOutcome::stored;
          } else {
            expected = PutOutcome::rejected_by_admission;
          }
        }
        RC_ASSERT(cache.put(key, value, ttl, tags) == expected);
        outcomes.insert(expected);
        break;
      }
      case Op::get: {
        const auto expected = model.get(key, now);
        const auto hit = cache.get(key);
        RC_ASSERT(hit.has_value() == expected.has_value());
        if (hit) {
          RC_ASSERT(*hit->value == expected->first);
          RC_ASSERT(hit->needs_refresh == expected->second);
        }
        break;
      }
      case Op::invalidate: {
        const auto it = model.find(key);
        const bool was_there = it != model.end();
        if (was_there) model.erase(it);
        RC_ASSERT(cache.invalidate(key) == was_there);
        break;
      }
      case Op::invalidate_tag: {
        const std::string tag = tag_name(op.key % kTags);
        RC_ASSERT(cache.invalidate_tag(tag) == model.invalidate_tag(tag));
        break;
      }
      case Op::tick:
        clock.advance(milliseconds(op.ttl_ms));
        break;
      case Op::purge:
        model.purge(now);
        cache.purge_expired();
        break;
      case Op::clear:
        model.clear();
        cache.clear();
        break;
    }

    const TimePoint after = clock.now();
    for (int k = 0; k < kKeys; ++k) {
      RC_ASSERT(cache.contains(key_name(k)) == model.live(key_name(k), after));
    }
    const L1Stats stats = cache.stats();
    RC_ASSERT(stats.entries == model.size());
    RC_ASSERT(stats.bytes == model.bytes());
    RC_ASSERT(stats.entries <= options.max_entries);
    RC_ASSERT(stats.bytes <= options.max_bytes);
  }
  const L1Stats stats = cache.stats();
  RC_CLASSIFY(stats.evictions > 0, "evicted");
  RC_CLASSIFY(outcomes.count(PutOutcome::rejected_by_admission) > 0, "admission refused");
  RC_CLASSIFY(stats.expirations > 0, "expired");
  RC_CLASSIFY(outcomes.count(PutOutcome::too_large) > 0, "too large");
}

// ---------------------------------------------------------------------------------------------
// Several shards, no model.

RC_GTEST_PROP(L1CacheModel, ShardedKeepsBoundsAndFreshness, ()) {
  L1CacheOptions options;
  options.shards = *rc::gen::inRange<std::size_t>(2, 5);
  options.max_entries = *rc::gen::inRange<std::size_t>(2, 30);
  options.max_bytes = *rc::gen::inRange<std::size_t>(40, 600);
  options.admission_filter = *rc::gen::arbitrary<bool>();
  const auto count = *rc::gen::inRange<std::size_t>(0, 300);
  const auto ops = *rc::gen::container<std::vector<Op>>(count, gen_op(80));

  ManualClock clock;
  L1Cache cache(options, clock.fn());
  // What the latest put of each key left in the cache, if it stored anything.
  struct Latest {
    std::string value;
    TimePoint expires;
    int tags;
  };
  std::map<std::string, Latest> latest;
  int sequence = 0;

  for (const Op& op : ops) {
    const TimePoint now = clock.now();
    const std::string key = key_name(op.key);
    switch (op.kind) {
      case Op::put: {
        const std::string value = std::to_string(sequence++) + std::string(op.size, 'x');
        const auto ttl = std::chrono::duration_cast<Duration>(milliseconds(op.ttl_ms));
        const PutOutcome outcome = cache.put(key, value, ttl, tag_names(op.tags));
        if (outcome == PutOutcome::stored || outcome == PutOutcome::replaced) {
          latest[key] = Latest{value, now + ttl, op.tags};
          // Readable at once (no time passed, nothing else happened).
          const auto hit = cache.get(key);
          RC_ASSERT(hit.has_value());
          RC_ASSERT(*hit->value == value);
        } else {
          RC_ASSERT(!cache.contains(key));  // a put that stores nothing leaves no older value
          latest.erase(key);
        }
        break;
      }
      case Op::get: {
        const auto hit = cache.get(key);
        if (hit) {
          const auto it = latest.find(key);
          RC_ASSERT(it != latest.end());
          RC_ASSERT(*hit->value == it->second.value);  // the latest value, never an older one
          RC_ASSERT(now < it->second.expires);         // never expired
          RC_ASSERT(hit->ttl_left == it->second.expires - now);
        }
        break;
      }
      case Op::invalidate:
        cache.invalidate(key);
        RC_ASSERT(!cache.contains(key));
        latest.erase(key);
        break;
      case Op::invalidate_tag: {
        const int t = op.key % kTags;
        std::vector<std::string> tagged_live;
        std::vector<std::string> other_live;
        for (const auto& [k, l] : latest) {
          if (!cache.contains(k)) continue;
          ((l.tags & (1 << t)) ? tagged_live : other_live).push_back(k);
        }
        const std::size_t removed = cache.invalidate_tag(tag_name(t));
        RC_ASSERT(removed >= tagged_live.size());  // (plus tagged entries expired but not yet gone)
        for (const auto& k : tagged_live) {
          RC_ASSERT(!cache.contains(k));
          latest.erase(k);
        }
        for (const auto& k : other_live) RC_ASSERT(cache.contains(k));
        break;
      }
      case Op::tick:
        clock.advance(milliseconds(op.ttl_ms));
        break;
      case Op::purge:
        cache.purge_expired();
        break;
      case Op::clear:
        cache.clear();
        for (int k = 0; k < kKeys; ++k) RC_ASSERT(!cache.contains(key_name(k)));
        latest.clear();
        break;
    }
    const L1Stats stats = cache.stats();
    RC_ASSERT(stats.entries <= options.max_entries);
    RC_ASSERT(stats.bytes <= options.max_bytes);
  }
}

}  // namespace
}  // namespace utxoiq::cache
