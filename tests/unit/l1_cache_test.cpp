// L1 cache: get/put, TTL boundaries, byte accounting, budgets, tags, invalidation tokens, early
// refresh and stats, on a manual clock.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cache/l1_cache.hpp"
#include "resilience/clock.hpp"

namespace utxoiq::cache {
namespace {

using namespace std::chrono_literals;
using resilience::ManualClock;

L1CacheOptions lru_options(std::size_t entries, std::size_t bytes, std::size_t shards = 1) {
  L1CacheOptions options;
  options.max_entries = entries;
  options.max_bytes = bytes;
  options.shards = shards;
  options.admission_filter = false;
  return options;
}

class L1CacheTest : public ::testing::Test {
 protected:
  static std::string value_of(const std::optional<L1Hit>& hit) {
    return hit.has_value() ? *hit->value : std::string("<miss>");
  }
  ManualClock clock_;
};

TEST_F(L1CacheTest, GetAfterPutReturnsTheSameSharedValue) {
  L1Cache cache({}, clock_.fn());
  const auto value = std::make_shared<const std::string>(R"({"avg":4.5})");
  EXPECT_EQ(cache.put("stats:1", value, 60s), PutOutcome::stored);
  const auto hit = cache.get("stats:1");
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->value, value);  // the same object: no copy on a hit
  EXPECT_FALSE(hit->needs_refresh);
  EXPECT_EQ(hit->ttl_left, 60s);
  EXPECT_FALSE(cache.get("stats:2").has_value());
  const L1Stats stats = cache.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.bytes, std::string("stats:1").size() + value->size());
}

TEST_F(L1CacheTest, ExpiresExactlyAtTheTtlBoundary) {
  L1Cache cache({}, clock_.fn());
  ASSERT_EQ(cache.put("k", "v", 60s), PutOutcome::stored);
  clock_.advance(60s - 1ns);
  ASSERT_TRUE(cache.contains("k"));
  const auto last = cache.get("k");
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->ttl_left, 1ns);
  clock_.advance(1ns);  // exactly put time + TTL
  EXPECT_FALSE(cache.contains("k"));
  EXPECT_FALSE(cache.get("k").has_value());
  const L1Stats stats = cache.stats();
  EXPECT_EQ(stats.expirations, 1u);
  EXPECT_EQ(stats.entries, 0u);
  EXPECT_EQ(stats.bytes, 0u);
}

TEST_F(L1CacheTest, ByteAccountingOnOverwrite) {
  L1Cache cache(lru_options(10, 1000), clock_.fn());
  ASSERT_EQ(cache.put("key", std::string(100, 'a'), 60s), PutOutcome::stored);
  EXPECT_EQ(cache.stats().bytes, 103u);
  ASSERT_EQ(cache.put("key", std::string(10, 'b'), 60s), PutOutcome::replaced);
  EXPECT_EQ(cache.stats().bytes, 13u);
  EXPECT_EQ(cache.stats().entries, 1u);
  ASSERT_EQ(cache.put("key", std::string(500, 'c'), 60s), PutOutcome::replaced);
  EXPECT_EQ(cache.stats().bytes, 503u);
  EXPECT_EQ(value_of(cache.get("key")), std::string(500, 'c'));
  cache.invalidate("key");
  EXPECT_EQ(cache.stats().bytes, 0u);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST_F(L1CacheTest, GrowingOverwriteEvictsOthersButNeverItself) {
  L1Cache cache(lru_options(10, 100), clock_.fn());
  ASSERT_EQ(cache.put("a", std::string(29, 'a'), 60s), PutOutcome::stored);    // 30 bytes
  ASSERT_EQ(cache.put("b", std::string(29, 'b'), 60s), PutOutcome::stored);    // 60
  ASSERT_EQ(cache.put("c", std::string(29, 'c'), 60s), PutOutcome::stored);    // 90
  ASSERT_EQ(cache.put("b", std::string(59, 'B'), 60s), PutOutcome::replaced);  // 120 > 100
  EXPECT_FALSE(cache.contains("a"));  // least recently used goes
  EXPECT_TRUE(cache.contains("b"));
  EXPECT_TRUE(cache.contains("c"));
  EXPECT_EQ(cache.stats().bytes, 90u);
  EXPECT_EQ(cache.stats().evictions, 1u);
}

TEST_F(L1CacheTest, EntryCountBoundEvictsLeastRecentlyUsed) {
  L1Cache cache(lru_options(3, 1 << 20), clock_.fn());
  cache.put("a", "1", 60s);
  cache.put("b", "2", 60s);
  cache.put("c", "3", 60s);
  ASSERT_TRUE(cache.get("a").has_value());  // a is now the most recent; b the least
  EXPECT_EQ(cache.put("d", "4", 60s), PutOutcome::stored);
  EXPECT_FALSE(cache.contains("b"));
  EXPECT_TRUE(cache.contains("a"));
  EXPECT_TRUE(cache.contains("c"));
  EXPECT_TRUE(cache.contains("d"));
  EXPECT_EQ(cache.stats().entries, 3u);
}

TEST_F(L1CacheTest, TooLargeValueIsNotStoredAndRemovesTheOldOne) {
  L1Cache cache(lru_options(10, 100), clock_.fn());
  ASSERT_EQ(cache.put("k", "small", 60s), PutOutcome::stored);
  EXPECT_EQ(cache.put("k", std::string(100, 'x'), 60s), PutOutcome::too_large);  // 101 bytes
  EXPECT_FALSE(cache.contains("k"));  // the old value must not survive a newer write
  EXPECT_EQ(cache.put("k", std::string(99, 'x'), 60s), PutOutcome::stored);  // exactly 100
  EXPECT_EQ(cache.stats().bytes, 100u);
}

TEST_F(L1CacheTest, ZeroTtlStoresNothingAndRemovesTheOldOne) {
  L1Cache cache({}, clock_.fn());
  ASSERT_EQ(cache.put("k", "v", 60s), PutOutcome::stored);
  EXPECT_EQ(cache.put("k", "w", 0s), PutOutcome::zero_ttl);
  EXPECT_FALSE(cache.contains("k"));
  EXPECT_EQ(cache.put("k", "w", -1s), PutOutcome::zero_ttl);
  EXPECT_FALSE(cache.contains("k"));
}

TEST_F(L1CacheTest, ExpiredEntriesAreEvictedFirstWithoutCountingAsEvictions) {
  L1Cache cache(lru_options(2, 1 << 20), clock_.fn());
  cache.put("short", "1", 10s);
  cache.put("long", "2", 600s);
  clock_.advance(10s);
  ASSERT_EQ(cache.put("new", "3", 600s), PutOutcome::stored);
  EXPECT_TRUE(cache.contains("long"));
  EXPECT_TRUE(cache.contains("new"));
  EXPECT_EQ(cache.stats().expirations, 1u);
  EXPECT_EQ(cache.stats().evictions, 0u);
}

TEST_F(L1CacheTest, PurgeExpiredRemovesOnlyExpired) {
  L1Cache cache({}, clock_.fn());
  for (int i = 0; i < 20; ++i) {
    cache.put("k" + std::to_string(i), "v", i % 2 == 0 ? 10s : 20s);
  }
  clock_.advance(10s);
  EXPECT_EQ(cache.purge_expired(), 10u);
  EXPECT_EQ(cache.stats().entries, 10u);
  EXPECT_TRUE(cache.contains("k1"));
  EXPECT_FALSE(cache.contains("k0"));
}

TEST_F(L1CacheTest, InvalidateTagRemovesExactlyTheTaggedEntries) {
  L1Cache cache({}, clock_.fn());
  cache.put("feedback:stats:i1", "a", 3600s, {"insight:i1"});
  cache.put("feedback:list:i1", "b", 3600s, {"insight:i1", "user:u1"});
  cache.put("feedback:list:u1", "c", 3600s, {"user:u1"});
  cache.put("metrics:x", "d", 300s);
  EXPECT_EQ(cache.invalidate_tag("insight:i1"), 2u);
  EXPECT_FALSE(cache.contains("feedback:stats:i1"));
  EXPECT_FALSE(cache.contains("feedback:list:i1"));
  EXPECT_TRUE(cache.contains("feedback:list:u1"));
  EXPECT_TRUE(cache.contains("metrics:x"));
  EXPECT_EQ(cache.invalidate_tag("insight:i1"), 0u);
  EXPECT_EQ(cache.invalidate_tag("user:u1"), 1u);  // the other user:u1 entry went with insight:i1
  EXPECT_EQ(cache.stats().entries, 1u);
  EXPECT_EQ(cache.stats().invalidations, 3u);
}

TEST_F(L1CacheTest, OverwriteReplacesTags) {
  L1Cache cache({}, clock_.fn());
  cache.put("k", "v1", 60s, {"old", "both"});
  cache.put("k", "v2", 60s, {"new", "both", "new"});  // duplicates are harmless
  EXPECT_EQ(cache.invalidate_tag("old"), 0u);
  EXPECT_TRUE(cache.contains("k"));
  EXPECT_EQ(cache.invalidate_tag("new"), 1u);
  EXPECT_FALSE(cache.contains("k"));
  EXPECT_EQ(cache.invalidate_tag("both"), 0u);
}

TEST_F(L1CacheTest, InvalidateAndClear) {
  L1Cache cache({}, clock_.fn());
  cache.put("a", "1", 60s);
  cache.put("b", "2", 60s);
  EXPECT_TRUE(cache.invalidate("a"));
  EXPECT_FALSE(cache.invalidate("a"));
  EXPECT_FALSE(cache.contains("a"));
  cache.put("c", "3", 60s);
  cache.clear();
  EXPECT_FALSE(cache.contains("b"));
  EXPECT_FALSE(cache.contains("c"));
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().bytes, 0u);
}

TEST_F(L1CacheTest, NeedsRefreshOnceInTheLastPartOfTheTtl) {
  L1CacheOptions options;
  options.refresh_ahead_fraction = 0.2;  // the last 20 s of 100 s
  L1Cache cache(options, clock_.fn());
  cache.put("hot", "v", 100s);
  clock_.advance(80s - 1ns);
  EXPECT_FALSE(cache.get("hot")->needs_refresh);
  clock_.advance(1ns);
  EXPECT_TRUE(cache.get("hot")->needs_refresh);   // the first caller in the window refreshes
  EXPECT_FALSE(cache.get("hot")->needs_refresh);  // the others do not
  cache.put("hot", "v2", 100s);                   // the refresh re-arms it
  clock_.advance(85s);
  EXPECT_TRUE(cache.get("hot")->needs_refresh);
}

TEST_F(L1CacheTest, GetIfFreshAnswersOnlyALiveEntryNotDueForRefreshAndCountsOnlyThatHit) {
  L1CacheOptions options;
  options.refresh_ahead_fraction = 0.2;  // the last 20 s of 100 s
  L1Cache cache(options, clock_.fn());
  EXPECT_FALSE(cache.get_if_fresh("hot").has_value());  // a miss: nothing counted
  EXPECT_EQ(cache.stats().misses, 0u);
  cache.put("hot", "v", 100s);
  const auto fresh = cache.get_if_fresh("hot");
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(**fresh, "v");
  EXPECT_EQ(cache.stats().hits, 1u);
  clock_.advance(80s);
  // Due for its refresh: left to get(), which claims it for exactly one caller.
  EXPECT_FALSE(cache.get_if_fresh("hot").has_value());
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_TRUE(cache.get("hot")->needs_refresh);
  ASSERT_TRUE(cache.get_if_fresh("hot").has_value());  // claimed: a plain hit again
  EXPECT_EQ(cache.stats().hits, 3u);
  clock_.advance(20s);
  EXPECT_FALSE(cache.get_if_fresh("hot").has_value());  // expired: get() removes and counts it
  EXPECT_EQ(cache.stats().misses, 0u);
  EXPECT_FALSE(cache.get("hot").has_value());
  EXPECT_EQ(cache.stats().misses, 1u);
}

TEST_F(L1CacheTest, ZeroRefreshFractionNeverAsks) {
  L1CacheOptions options;
  options.refresh_ahead_fraction = 0.0;
  L1Cache cache(options, clock_.fn());
  cache.put("k", "v", 10s);
  clock_.advance(10s - 1ns);
  EXPECT_FALSE(cache.get("k")->needs_refresh);
}

TEST_F(L1CacheTest, InvalidationTokenDropsAFillThatRacedAnInvalidation) {
  L1Cache cache({}, clock_.fn());
  // Reader misses and takes a token, then reads the database (old value)...
  const InvalidationToken token = cache.invalidation_token("stats:i1");
  // ...meanwhile a writer commits and invalidates...
  cache.invalidate("stats:i1");
  // ...and the reader's put of the old value must not land.
  const auto old_value = std::make_shared<const std::string>("old");
  EXPECT_EQ(cache.put_unless_invalidated(token, "stats:i1", old_value, 60s),
            PutOutcome::invalidated);
  EXPECT_FALSE(cache.contains("stats:i1"));
  // Without an invalidation in between, the fill lands.
  const InvalidationToken fresh = cache.invalidation_token("stats:i1");
  EXPECT_EQ(cache.put_unless_invalidated(fresh, "stats:i1", old_value, 60s), PutOutcome::stored);
}

TEST_F(L1CacheTest, TagInvalidationAlsoVoidsTokensOfEveryShard) {
  L1CacheOptions options;
  options.shards = 8;
  L1Cache cache(options, clock_.fn());
  std::vector<InvalidationToken> tokens;
  for (int i = 0; i < 32; ++i) tokens.push_back(cache.invalidation_token("k" + std::to_string(i)));
  cache.invalidate_tag("anything");
  for (int i = 0; i < 32; ++i) {
    EXPECT_EQ(cache.put_unless_invalidated(tokens[i], "k" + std::to_string(i),
                                           std::make_shared<const std::string>("v"), 60s),
              PutOutcome::invalidated);
  }
}

TEST_F(L1CacheTest, BudgetsAreSplitExactlyOverShards) {
  // 10 entries over 4 shards: 3 + 3 + 2 + 2. Filling with many keys never exceeds 10 in total.
  L1Cache cache(lru_options(10, 1 << 20, 4), clock_.fn());
  EXPECT_EQ(cache.shard_count(), 4u);
  for (int i = 0; i < 1000; ++i) cache.put("key-" + std::to_string(i), "v", 60s);
  EXPECT_EQ(cache.stats().entries, 10u);
  // More shards than entries: only as many shards as entries.
  L1Cache tiny(lru_options(3, 1 << 20, 16), clock_.fn());
  EXPECT_EQ(tiny.shard_count(), 3u);
}

TEST_F(L1CacheTest, AdmissionFilterKeepsAPopularKeyAgainstOneOffs) {
  L1CacheOptions options;
  options.max_entries = 4;
  options.shards = 1;
  L1Cache cache(options, clock_.fn());
  for (int i = 0; i < 4; ++i) {
    const std::string key = "hot-" + std::to_string(i);
    for (int n = 0; n < 5; ++n) cache.get(key);  // popular: asked for 5 times
    ASSERT_EQ(cache.put(key, "v", 600s), PutOutcome::stored);
  }
  for (int i = 0; i < 100; ++i) {
    const std::string key = "once-" + std::to_string(i);
    EXPECT_FALSE(cache.get(key).has_value());
    EXPECT_EQ(cache.put(key, "v", 600s), PutOutcome::rejected_by_admission);
  }
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(cache.contains("hot-" + std::to_string(i)));
  EXPECT_EQ(cache.stats().rejections, 100u);
  // A key that becomes more popular than the least recently used one does get in.
  for (int n = 0; n < 10; ++n) cache.get("rising");
  EXPECT_GT(cache.frequency_estimate("rising"), cache.frequency_estimate("hot-0"));
  EXPECT_EQ(cache.put("rising", "v", 600s), PutOutcome::stored);
  EXPECT_FALSE(cache.contains("hot-0"));  // the LRU entry was the one evicted
}

TEST_F(L1CacheTest, ConcurrentUseKeepsTheBounds) {
  L1CacheOptions options;
  options.max_entries = 64;
  options.max_bytes = 64 * 40;
  options.shards = 4;
  L1Cache cache(options, clock_.fn());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = "k" + std::to_string((i * 7 + t) % 300);
        if (!cache.get(key)) cache.put(key, std::string(20, 'x'), 60s, {"t" + std::to_string(t)});
        if (i % 97 == 0) cache.invalidate_tag("t" + std::to_string((t + 1) % 4));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const L1Stats stats = cache.stats();
  EXPECT_LE(stats.entries, 64u);
  EXPECT_LE(stats.bytes, 64u * 40u);
  EXPECT_EQ(stats.hits + stats.misses, 4u * 2000u);
}

TEST_F(L1CacheTest, RejectsInvalidArguments) {
  EXPECT_THROW(L1Cache(lru_options(0, 10), clock_.fn()), std::invalid_argument);
  EXPECT_THROW(L1Cache(lru_options(10, 0), clock_.fn()), std::invalid_argument);
  L1CacheOptions bad_fraction;
  bad_fraction.refresh_ahead_fraction = 1.0;
  EXPECT_THROW(L1Cache(bad_fraction, clock_.fn()), std::invalid_argument);
  L1Cache cache({}, clock_.fn());
  EXPECT_THROW(cache.put("k", L1Value{}, 60s), std::invalid_argument);
}

TEST(L1PutOutcomeNames, Names) {
  EXPECT_EQ(to_string(PutOutcome::stored), "stored");
  EXPECT_EQ(to_string(PutOutcome::rejected_by_admission), "rejected_by_admission");
  EXPECT_EQ(to_string(PutOutcome::invalidated), "invalidated");
}

}  // namespace
}  // namespace utxoiq::cache
