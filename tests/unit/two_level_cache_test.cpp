// TwoLevelCache over a fake L2 (our own L2Store interface) and a fake database: the read path
// (L1, then L2, then the loader; a hit never loads), single-flight loading, invalidation by key and
// by tag (also of a load in flight), early refresh of hot keys, the TTL cap while invalidations
// are not heard, and L2 trouble never reaching the caller.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "cache/two_level_cache.hpp"
#include "resilience/clock.hpp"
#include "support/fake_l2_store.hpp"
#include "support/run_task.hpp"

namespace utxoiq::cache {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using resilience::ManualClock;
using testing::FakeL2Store;
using testing::run_task;

// Holds loaders back until the test lets them go, to make loads overlap.
class Gate {
 public:
  explicit Gate(asio::io_context& io) : timer_(io, asio::steady_timer::time_point::max()) {}
  Task<void> wait() {
    if (!open_) co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  void open() {
    open_ = true;
    timer_.cancel();
  }
  void close() {
    open_ = false;
    timer_.expires_at(asio::steady_timer::time_point::max());
  }

 private:
  asio::steady_timer timer_;
  bool open_ = true;
};

class TwoLevelCacheTest : public ::testing::Test {
 protected:
  TwoLevelCacheOptions options(double refresh_fraction = 0.0) {
    TwoLevelCacheOptions o;
    o.name = "feedback_stats";
    o.ttl = 60s;
    o.l1.max_entries = 100;
    o.l1.shards = 4;
    o.l1.refresh_ahead_fraction = refresh_fraction;
    return o;
  }
  CacheContext context(L2Store* l2) {
    CacheContext c;
    c.l2 = l2;
    c.hearing = [this] { return hearing_; };
    c.instance_id = "instance-a";
    c.on_invalidation_lost = [this] { ++lost_; };
    c.now = clock_.fn();
    return c;
  }
  // Reads the fake database, counting the calls; waits at the gate first.
  TwoLevelCache::Loader loader(const std::string& key) {
    return [this, key]() -> Task<std::optional<std::string>> {
      ++loads_;
      co_await gate_.wait();
      if (fail_loads_) throw std::runtime_error("database down");
      const auto it = db_.find(key);
      if (it == db_.end()) co_return std::nullopt;
      co_return it->second;
    };
  }
  std::optional<std::string> get(TwoLevelCache& cache, const std::string& key,
                                 std::vector<std::string> tags = {}) {
    const auto value = run_task(io_, cache.get_or_load(key, loader(key), std::move(tags)));
    if (!value) return std::nullopt;
    return **value;
  }
  // Starts a get without waiting for it; its result lands in `out`.
  void spawn_get(TwoLevelCache& cache, const std::string& key, std::optional<std::string>& out,
                 bool& done) {
    asio::co_spawn(
        io_,
        [&, key]() -> Task<void> {
          const auto value = co_await cache.get_or_load(key, loader(key));
          if (value) out = **value;
          done = true;
        },
        asio::detached);
  }
  void poll() {
    io_.restart();
    io_.poll();
  }

  asio::io_context io_;
  ManualClock clock_;
  FakeL2Store l2_{clock_.fn()};
  Gate gate_{io_};
  std::map<std::string, std::string> db_;
  int loads_ = 0;
  int lost_ = 0;
  bool hearing_ = true;
  bool fail_loads_ = false;
};

TEST_F(TwoLevelCacheTest, MissLoadsOnceThenHitsNeverLoad) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["k"] = "v1";
  EXPECT_EQ(get(cache, "k"), "v1");
  EXPECT_EQ(loads_, 1);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get(cache, "k"), "v1");
  EXPECT_EQ(loads_, 1);
  EXPECT_EQ(l2_.lookups, 1u);  // hits do not even ask L2
  const auto s = cache.stats();
  EXPECT_EQ(s.l1.hits, 5u);
  EXPECT_EQ(s.l1.misses, 1u);
  EXPECT_EQ(s.l2.misses, 1u);
  EXPECT_EQ(s.loads, 1u);
  EXPECT_EQ(l2_.value_of("k"), "v1");  // filled on the way
}

TEST_F(TwoLevelCacheTest, ReloadAfterAWriteMakesTheNextReadAHitOnEveryLevel) {
  TwoLevelCache a(options(), context(&l2_));
  TwoLevelCache b(options(), context(&l2_));
  db_["k"] = "v1";
  EXPECT_EQ(get(a, "k"), "v1");
  db_["k"] = "v2";  // the write
  run_task(io_, a.invalidate({"k"}));
  run_task(io_, a.reload("k", loader("k")));  // returns at once; the load runs in the background
  poll();
  EXPECT_EQ(loads_, 2);
  const auto before = a.stats();
  EXPECT_EQ(get(a, "k"), "v2");  // L1 hit on the writer
  EXPECT_EQ(loads_, 2);
  EXPECT_EQ(a.stats().l1.hits, before.l1.hits + 1);
  // A reload is no lookup: the writer's figures count only the reads.
  EXPECT_EQ(before.l1.misses, 1u);
  EXPECT_EQ(before.l2.misses, 1u);
  EXPECT_EQ(get(b, "k"), "v2");  // another instance: an L2 hit
  EXPECT_EQ(loads_, 2);
  EXPECT_EQ(b.stats().l2.hits, 1u);
}

TEST_F(TwoLevelCacheTest, HeldHereMeansInL1OrBeingLoadedAndChangesNothing) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["k"] = "v1";
  EXPECT_FALSE(cache.held_here("k"));  // never read here
  gate_.close();
  std::optional<std::string> read;
  bool done = false;
  spawn_get(cache, "k", read, done);
  poll();
  EXPECT_TRUE(cache.held_here("k"));  // being loaded
  gate_.open();
  poll();
  ASSERT_TRUE(done);
  EXPECT_TRUE(cache.held_here("k"));  // in L1
  const auto before = cache.stats();
  EXPECT_TRUE(cache.held_here("k"));
  EXPECT_EQ(cache.stats().l1.hits, before.l1.hits);  // asking is no lookup
  EXPECT_EQ(cache.stats().l1.misses, before.l1.misses);
  run_task(io_, cache.invalidate({"k"}));
  EXPECT_FALSE(cache.held_here("k"));
}

TEST_F(TwoLevelCacheTest, AReadDuringAReloadJoinsItInsteadOfLoadingAgain) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["k"] = "v1";
  EXPECT_EQ(get(cache, "k"), "v1");
  db_["k"] = "v2";
  run_task(io_, cache.invalidate({"k"}));
  gate_.close();
  run_task(io_, cache.reload("k", loader("k")));
  std::optional<std::string> read;
  bool done = false;
  spawn_get(cache, "k", read, done);
  poll();
  EXPECT_FALSE(done);  // waiting for the reload
  gate_.open();
  poll();
  EXPECT_TRUE(done);
  EXPECT_EQ(read, "v2");
  EXPECT_EQ(loads_, 2);
  EXPECT_EQ(cache.stats().coalesced, 1u);
}

TEST_F(TwoLevelCacheTest, AnotherInstanceFindsTheValueInL2) {
  TwoLevelCache a(options(), context(&l2_));
  TwoLevelCache b(options(), context(&l2_));
  db_["k"] = "v1";
  EXPECT_EQ(get(a, "k"), "v1");
  EXPECT_EQ(get(b, "k"), "v1");
  EXPECT_EQ(loads_, 1);  // b was served by L2
  EXPECT_EQ(b.stats().l2.hits, 1u);
}

TEST_F(TwoLevelCacheTest, NotFoundIsReturnedAndNotCached) {
  TwoLevelCache cache(options(), context(&l2_));
  EXPECT_EQ(get(cache, "absent"), std::nullopt);
  EXPECT_EQ(get(cache, "absent"), std::nullopt);
  EXPECT_EQ(loads_, 2);
  EXPECT_FALSE(l2_.contains("absent"));
}

TEST_F(TwoLevelCacheTest, HitRateIsNullBeforeAnyLookup) {
  TwoLevelCache cache(options(), context(&l2_));
  EXPECT_FALSE(cache.stats().l1.hit_rate().has_value());
  EXPECT_FALSE(cache.stats().l2.hit_rate().has_value());
  db_["k"] = "v";
  get(cache, "k");
  get(cache, "k");
  EXPECT_DOUBLE_EQ(*cache.stats().l1.hit_rate(), 0.5);
  EXPECT_DOUBLE_EQ(*cache.stats().l2.hit_rate(), 0.0);
}

TEST_F(TwoLevelCacheTest, ConcurrentMissesOfOneKeyShareOneLoad) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["k"] = "v1";
  gate_.close();
  constexpr int kReaders = 10;
  std::vector<std::optional<std::string>> got(kReaders);
  bool done[kReaders] = {};
  for (int i = 0; i < kReaders; ++i) spawn_get(cache, "k", got[i], done[i]);
  poll();
  EXPECT_EQ(loads_, 1);  // the other nine wait for it
  gate_.open();
  poll();
  for (int i = 0; i < kReaders; ++i) {
    EXPECT_TRUE(done[i]);
    EXPECT_EQ(got[i], "v1");
  }
  EXPECT_EQ(loads_, 1);
  EXPECT_EQ(cache.stats().coalesced, 9u);
}

TEST_F(TwoLevelCacheTest, DifferentKeysLoadIndependently) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["a"] = "1";
  db_["b"] = "2";
  gate_.close();
  std::optional<std::string> a, b;
  bool done_a = false, done_b = false;
  spawn_get(cache, "a", a, done_a);
  spawn_get(cache, "b", b, done_b);
  poll();
  EXPECT_EQ(loads_, 2);
  gate_.open();
  poll();
  EXPECT_EQ(a, "1");
  EXPECT_EQ(b, "2");
}

TEST_F(TwoLevelCacheTest, ALoadStartedBeforeAWriteIsNotCachedAndNotJoinedAfterIt) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["k"] = "old";
  gate_.close();
  std::optional<std::string> early;
  bool early_done = false;
  spawn_get(cache, "k", early, early_done);
  poll();  // its load is in flight (held at the gate)
  // The write: the database changes, then the cache is invalidated.
  db_["k"] = "new";
  run_task(io_, cache.invalidate({"k"}));
  // A reader after the write must not join the load started before it.
  std::optional<std::string> late;
  bool late_done = false;
  spawn_get(cache, "k", late, late_done);
  poll();
  EXPECT_EQ(loads_, 2);
  gate_.open();
  poll();
  EXPECT_TRUE(early_done);
  EXPECT_EQ(late, "new");
  EXPECT_EQ(get(cache, "k"), "new");  // and what stayed cached is the new value
  EXPECT_EQ(l2_.value_of("k"), "new");
}

TEST_F(TwoLevelCacheTest, AStaleLoadNeverFillsL2AfterTheInvalidation) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["k"] = "old";
  // The loader reads the old value, then the write and its invalidation happen, then the load
  // finishes: the fill guard must refuse it.
  bool invalidated = false;
  auto stale_loader = [&]() -> Task<std::optional<std::string>> {
    std::string read = db_["k"];
    db_["k"] = "new";
    std::vector<std::string> keys{"k"};  // not a braced list in the co_await: GCC 12
    co_await cache.invalidate(std::move(keys));
    invalidated = true;
    co_return read;
  };
  const auto value = run_task(io_, cache.get_or_load("k", stale_loader));
  EXPECT_TRUE(invalidated);
  EXPECT_EQ(**value, "old");  // that caller asked before the write finished
  EXPECT_FALSE(l2_.contains("k"));
  EXPECT_EQ(l2_.fills_refused, 1u);
  EXPECT_EQ(get(cache, "k"), "new");  // nor did L1 keep it
}

TEST_F(TwoLevelCacheTest, InvalidateByKeyReachesL1AndL2AndIsPublished) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["k"] = "v1";
  get(cache, "k");
  db_["k"] = "v2";
  run_task(io_, cache.invalidate({"k"}));
  EXPECT_FALSE(l2_.contains("k"));
  ASSERT_EQ(l2_.published.size(), 1u);
  EXPECT_EQ(l2_.published[0].keys, std::vector<std::string>{"k"});
  EXPECT_EQ(l2_.published[0].origin, "instance-a");
  EXPECT_EQ(get(cache, "k"), "v2");
}

TEST_F(TwoLevelCacheTest, InvalidateByTagDropsExactlyTheTaggedKeys) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["a"] = "1";
  db_["b"] = "2";
  db_["c"] = "3";
  get(cache, "a", {"series:x"});
  get(cache, "b", {"series:x", "other"});
  get(cache, "c", {"series:y"});
  db_["a"] = "1b";
  db_["b"] = "2b";
  db_["c"] = "3b";
  run_task(io_, cache.invalidate({}, {"series:x"}));
  EXPECT_FALSE(l2_.contains("a"));
  EXPECT_FALSE(l2_.contains("b"));
  EXPECT_TRUE(l2_.contains("c"));
  EXPECT_EQ(get(cache, "a", {"series:x"}), "1b");
  EXPECT_EQ(get(cache, "b", {"series:x", "other"}), "2b");
  EXPECT_EQ(get(cache, "c", {"series:y"}), "3");  // untouched: still the cached value
}

TEST_F(TwoLevelCacheTest, HotKeyIsRefreshedInTheBackgroundBeforeItExpires) {
  TwoLevelCache cache(options(/*refresh_fraction=*/0.2), context(&l2_));
  db_["k"] = "v1";
  EXPECT_EQ(get(cache, "k"), "v1");
  db_["k"] = "v2";      // changed without invalidation: only a reload can see it
  clock_.advance(45s);  // 75% of the TTL: not yet in the refresh window
  EXPECT_EQ(get(cache, "k"), "v1");
  EXPECT_EQ(loads_, 1);
  clock_.advance(5s);                // 50 s of 60: in the last 20%
  EXPECT_EQ(get(cache, "k"), "v1");  // answered at once from L1...
  poll();                            // ...while the refresh runs in the background
  EXPECT_EQ(loads_, 2);
  EXPECT_EQ(cache.stats().refreshes, 1u);
  clock_.advance(15s);               // past the old entry's expiry
  EXPECT_EQ(get(cache, "k"), "v2");  // the refreshed entry, no miss
  EXPECT_EQ(loads_, 2);
}

TEST_F(TwoLevelCacheTest, RefreshReloadsEvenWhenL2HoldsTheSameAgingEntry) {
  TwoLevelCache cache(options(0.2), context(&l2_));
  db_["k"] = "v1";
  get(cache, "k");  // L1 and L2 filled at the same moment: they age together
  db_["k"] = "v2";
  clock_.advance(50s);
  get(cache, "k");
  poll();
  EXPECT_EQ(loads_, 2);                // L2's copy was about to expire too: reloaded
  EXPECT_EQ(l2_.value_of("k"), "v2");  // and L2 refilled
}

TEST_F(TwoLevelCacheTest, WhileNotHearingEntriesLiveAtMostTheCap) {
  TwoLevelCache cache(options(), context(nullptr));
  hearing_ = false;
  db_["k"] = "v1";
  get(cache, "k");
  clock_.advance(900ms);
  get(cache, "k");
  EXPECT_EQ(loads_, 1);
  clock_.advance(100ms);  // 1 s after the load
  db_["k"] = "v2";
  EXPECT_EQ(get(cache, "k"), "v2");
  EXPECT_EQ(loads_, 2);
  hearing_ = true;
  get(cache, "k");
  clock_.advance(30s);  // hearing again: the full TTL
  get(cache, "k");
  EXPECT_EQ(loads_, 3);
}

TEST_F(TwoLevelCacheTest, AnL1EntryFromL2LivesNoLongerThanTheL2Entry) {
  TwoLevelCache a(options(), context(&l2_));
  TwoLevelCache b(options(), context(&l2_));
  db_["k"] = "v1";
  get(a, "k");
  clock_.advance(50s);
  get(b, "k");  // from L2, which has 10 s left
  clock_.advance(10s);
  get(b, "k");
  EXPECT_EQ(loads_, 2);  // b's entry expired with L2's, not 60 s after b read it
}

TEST_F(TwoLevelCacheTest, L2FailuresNeverReachTheCaller) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["k"] = "v1";
  l2_.set_failing(true);
  EXPECT_EQ(get(cache, "k"), "v1");
  EXPECT_GE(cache.stats().l2_errors, 1u);
  run_task(io_, cache.invalidate({"k"}));  // cannot be passed on: reported, not thrown
  EXPECT_EQ(lost_, 1);
  db_["k"] = "v2";
  EXPECT_EQ(get(cache, "k"), "v2");  // the local L1 was still invalidated
}

TEST_F(TwoLevelCacheTest, UnavailableL2IsSkippedWithoutAsking) {
  TwoLevelCache cache(options(), context(&l2_));
  l2_.set_available(false);
  db_["k"] = "v1";
  EXPECT_EQ(get(cache, "k"), "v1");
  EXPECT_EQ(l2_.lookups, 0u);
  EXPECT_EQ(l2_.fills, 0u);
}

TEST_F(TwoLevelCacheTest, LoaderFailureReachesEveryWaiterAndCachesNothing) {
  TwoLevelCache cache(options(), context(&l2_));
  db_["k"] = "v1";
  fail_loads_ = true;
  gate_.close();
  int failed = 0;
  for (int i = 0; i < 3; ++i) {
    asio::co_spawn(
        io_,
        [&]() -> Task<void> {
          try {
            co_await cache.get_or_load("k", loader("k"));
          } catch (const std::runtime_error&) {
            ++failed;
          }
        },
        asio::detached);
  }
  poll();
  gate_.open();
  poll();
  EXPECT_EQ(failed, 3);
  EXPECT_EQ(loads_, 1);
  fail_loads_ = false;
  EXPECT_EQ(get(cache, "k"), "v1");  // nothing was cached by the failure
  EXPECT_EQ(cache.stats().load_failures, 1u);
}

TEST_F(TwoLevelCacheTest, EvictionsByL2AreReported) {
  TwoLevelCache a(options(), context(&l2_));
  TwoLevelCache b(options(), context(&l2_));
  db_["k"] = "v1";
  get(a, "k");
  l2_.evict("k");
  get(b, "k");
  EXPECT_EQ(b.stats().l2.evictions, 1u);
}

}  // namespace
}  // namespace utxoiq::cache
