// CacheSet against the real redis-server of tests/support, with two instances (two CacheSets, as
// two service processes would have) sharing it: L2 serves the other instance, invalidations by key
// and by tag reach the other instance's L1 over pub/sub, a stale fill never lands in L2, a new
// Redis session orphans L2 and flushes every L1, a Redis outage in the middle of reads and writes
// fails no operation and the cache comes back by itself, and while Redis is down an instance
// answers a value superseded elsewhere for at most 1 s (on a hand-driven L1 clock).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cache/cache_keys.hpp"
#include "cache/cache_set.hpp"
#include "cache/redis_client.hpp"
#include "resilience/clock.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::cache {
namespace {

using namespace std::chrono_literals;
using resilience::ManualClock;
using testing::run_task;
using testing::sleep_for;
using testing::TestServers;

class CacheSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RedisClient admin(io_, admin_options());
    run(admin.start());
    std::vector<std::string> flush{"FLUSHALL"};
    ASSERT_EQ(run(admin.command(flush)).describe(), "+OK");
  }

  static RedisClientOptions admin_options() {
    RedisClientOptions o;
    o.url = TestServers::get().redis_url();
    return o;
  }
  CacheSetOptions options(std::string id, resilience::NowFn now = resilience::steady_now) {
    CacheSetOptions o;
    o.redis_url = TestServers::get().redis_url();
    o.instance_id = std::move(id);
    o.redis.reconnect_backoff = {20ms, 200ms, 2.0};
    o.subscriber.reconnect_backoff = {20ms, 200ms, 2.0};
    o.now = std::move(now);
    return o;
  }
  template <typename T>
  T run(Task<T> task) {
    return run_task(io_, std::move(task));
  }
  template <typename Predicate>
  bool eventually(Predicate done) {
    for (int i = 0; i < 2000 && !done(); ++i) run(sleep_for(5ms));
    return done();
  }
  // The "database": a value per key, and how often it was read.
  TwoLevelCache::Loader loader(const std::string& key) {
    return [this, key]() -> Task<std::optional<std::string>> {
      ++loads_;
      co_return db_[key];
    };
  }
  std::string read(TwoLevelCache& cache, const std::string& key,
                   std::vector<std::string> tags = {}) {
    return **run(cache.get_or_load(key, loader(key), std::move(tags)));
  }
  void write(CacheSet& instance, const std::string& key, std::string value,
             std::vector<std::string> tags = {}) {
    db_[key] = std::move(value);
    run(instance.invalidate(
        tags.empty() ? std::vector<std::string>{key} : std::vector<std::string>{},
        std::move(tags)));
  }
  RedisReply admin_command(std::vector<std::string> args) {
    RedisClient admin(io_, admin_options());
    run(admin.start());
    return run(admin.command(std::move(args)));
  }

  boost::asio::io_context io_;
  std::map<std::string, std::string> db_;
  int loads_ = 0;
};

TEST_F(CacheSetTest, StartsUpWithBothConnections) {
  CacheSet a(io_, options("a"));
  run(a.start());
  EXPECT_EQ(a.redis_state(), RedisState::up);
  EXPECT_TRUE(a.hearing());
  EXPECT_EQ(a.feedback_stats().name(), "feedback_stats");
  EXPECT_EQ(a.feedback_stats().ttl(), std::chrono::seconds(3600));
  EXPECT_EQ(a.backfill_job().ttl(), std::chrono::seconds(300));
  EXPECT_EQ(a.recent_metrics().ttl(), std::chrono::seconds(300));
  EXPECT_EQ(a.aggregated_metrics().ttl(), std::chrono::seconds(3600));
  EXPECT_EQ(a.find("backfill_job"), &a.backfill_job());
  EXPECT_EQ(a.find("nope"), nullptr);
}

TEST_F(CacheSetTest, TheOtherInstanceIsServedFromRedis) {
  CacheSet a(io_, options("a"));
  CacheSet b(io_, options("b"));
  run(a.start());
  run(b.start());
  const std::string key = feedback_stats_key("insight-1");
  db_[key] = R"({"total_ratings":1})";
  EXPECT_EQ(read(a.feedback_stats(), key), db_[key]);
  EXPECT_EQ(read(b.feedback_stats(), key), db_[key]);
  EXPECT_EQ(loads_, 1);
  EXPECT_EQ(b.feedback_stats().stats().l2.hits, 1u);
  // The seed's key pattern, in Redis itself.
  const RedisReply stored = admin_command({"HGET", key, "v"});
  EXPECT_EQ(stored.text, db_[key]);
  const auto ttl = admin_command({"PTTL", key}).as_integer();
  ASSERT_TRUE(ttl.has_value());
  EXPECT_GT(*ttl, 3'500'000);  // feedback_stats: 1 h
  EXPECT_LE(*ttl, 3'600'000);
}

TEST_F(CacheSetTest, AWriteOnOneInstanceReachesTheOthersL1) {
  CacheSet a(io_, options("a"));
  CacheSet b(io_, options("b"));
  run(a.start());
  run(b.start());
  const std::string key = backfill_job_key("0190a000-0000-7000-8000-000000000001");
  db_[key] = "v1";
  read(a.backfill_job(), key);
  read(b.backfill_job(), key);  // both L1s hold v1 now
  write(a, key, "v2");
  EXPECT_EQ(read(a.backfill_job(), key), "v2");  // at once on the writer
  EXPECT_TRUE(eventually([&] { return read(b.backfill_job(), key) == "v2"; }));
}

TEST_F(CacheSetTest, ATagInvalidationReachesEveryCacheOfEveryInstance) {
  CacheSet a(io_, options("a"));
  CacheSet b(io_, options("b"));
  run(a.start());
  run(b.start());
  const std::string tag = series_tag("api", "latency");
  const std::string recent = recent_metrics_key("api", "latency");
  const std::string agg = aggregated_metrics_key("api", "latency", "hour", "s", "e");
  const std::string other = recent_metrics_key("api", "cpu");
  db_[recent] = "r1";
  db_[agg] = "a1";
  db_[other] = "o1";
  for (CacheSet* instance : {&a, &b}) {
    read(instance->recent_metrics(), recent, {tag});
    read(instance->aggregated_metrics(), agg, {tag});
    read(instance->recent_metrics(), other, {series_tag("api", "cpu")});
  }
  db_[recent] = "r2";
  db_[agg] = "a2";
  db_[other] = "o2";
  write(a, "", "", {tag});
  EXPECT_TRUE(admin_command({"EXISTS", recent}).as_integer() == 0);
  EXPECT_TRUE(admin_command({"EXISTS", agg}).as_integer() == 0);
  EXPECT_TRUE(eventually([&] {
    return read(b.recent_metrics(), recent, {tag}) == "r2" &&
           read(b.aggregated_metrics(), agg, {tag}) == "a2";
  }));
  EXPECT_EQ(read(b.recent_metrics(), other, {series_tag("api", "cpu")}), "o1");  // untouched
}

TEST_F(CacheSetTest, KeysWithColonsDoNotCollide) {
  EXPECT_NE(recent_metrics_key("a:b", "c"), recent_metrics_key("a", "b:c"));
  EXPECT_EQ(feedback_stats_key("abc"), "feedback:stats:abc");
  EXPECT_EQ(backfill_job_key("0190a000-0000-7000-8000-000000000001"),
            "backfill:job:0190a000-0000-7000-8000-000000000001");
  EXPECT_EQ(recent_metrics_key("api", "latency"), "metrics:api:latency:recent");
}

TEST_F(CacheSetTest, ANewRedisSessionOrphansL2AndFlushesEveryL1) {
  CacheSet a(io_, options("a"));
  CacheSet b(io_, options("b"));
  run(a.start());
  run(b.start());
  const std::string key = feedback_stats_key("i");
  db_[key] = "v1";
  read(a.feedback_stats(), key);
  read(b.feedback_stats(), key);
  ASSERT_EQ(loads_, 1);
  // Drop the command connections of every client (not the subscribers): both reconnect, and
  // each new session moves the epoch and publishes a flush.
  const auto sessions_a = a.redis().sessions();
  admin_command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
  EXPECT_TRUE(eventually([&] {
    return a.redis().sessions() > sessions_a && a.redis_state() == RedisState::up &&
           b.redis_state() == RedisState::up;
  }));
  db_[key] = "v2";  // changed behind the cache's back: only a miss everywhere can see it
  EXPECT_EQ(read(b.feedback_stats(), key), "v2");  // b's L1 flushed, L2's v1 orphaned
  EXPECT_EQ(read(a.feedback_stats(), key), "v2");
}

TEST_F(CacheSetTest, RedisOutageInTheMiddleOfReadsAndWritesFailsNothing) {
  CacheSet a(io_, options("a"));
  CacheSet b(io_, options("b"));
  run(a.start());
  run(b.start());
  std::mt19937 rng(42);
  int failures = 0;
  int own_write_misreads = 0;
  const auto step = [&](int i) {
    CacheSet& instance = (i % 2 == 0) ? a : b;
    const std::string key = feedback_stats_key("insight-" + std::to_string(rng() % 20));
    try {
      if (rng() % 4 == 0) {
        const std::string value = "v" + std::to_string(i);
        write(instance, key, value);
        // Read-your-writes on the writer, outage or not.
        if (read(instance.feedback_stats(), key) != value) ++own_write_misreads;
      } else {
        read(instance.feedback_stats(), key);
      }
    } catch (const std::exception& e) {
      ++failures;
      ADD_FAILURE() << "operation " << i << " failed: " << e.what();
    }
  };
  for (int i = 0; i < 300; ++i) step(i);
  TestServers::get().stop_redis();
  for (int i = 300; i < 600; ++i) step(i);
  EXPECT_TRUE(eventually([&] { return a.redis_state() == RedisState::down; }));
  for (int i = 600; i < 900; ++i) step(i);
  TestServers::get().start_redis();
  for (int i = 900; i < 1200; ++i) step(i);
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(own_write_misreads, 0);

  // Back by itself: both connections up, and L2 serves the other instance again.
  EXPECT_TRUE(eventually(
      [&] { return a.redis_state() == RedisState::up && b.redis_state() == RedisState::up; }));
  const std::string key = feedback_stats_key("after-the-outage");
  db_[key] = "x";
  const auto l2_hits_before = b.feedback_stats().stats().l2.hits;
  read(a.feedback_stats(), key);
  read(b.feedback_stats(), key);
  EXPECT_EQ(b.feedback_stats().stats().l2.hits, l2_hits_before + 1);
}

TEST_F(CacheSetTest, WhileRedisIsDownAWriteElsewhereIsSeenWithinOneSecond) {
  ManualClock clock;  // the L1 clock: the 1 s is counted by hand, not by the machine
  CacheSet a(io_, options("a", clock.fn()));
  CacheSet b(io_, options("b", clock.fn()));
  run(a.start());
  run(b.start());
  const std::string key = feedback_stats_key("during-the-outage");
  db_[key] = "v1";
  read(b.feedback_stats(), key);  // b caches v1 (full TTL: it hears invalidations)

  TestServers::get().stop_redis();
  EXPECT_TRUE(eventually([&] { return !a.hearing() && !b.hearing(); }));
  // Deaf: b dropped its L1 the moment it noticed, so this is a fresh load, capped at 1 s.
  EXPECT_EQ(read(b.feedback_stats(), key), "v1");
  const int loads_before = loads_;
  write(a, key, "v2");  // cannot reach Redis: nobody hears of it
  EXPECT_EQ(read(a.feedback_stats(), key), "v2");
  clock.advance(999ms);
  EXPECT_EQ(read(b.feedback_stats(), key), "v1");  // allowed: superseded less than 1 s ago
  clock.advance(1ms);
  EXPECT_EQ(read(b.feedback_stats(), key), "v2");  // 1 s after b stored it: gone, reloaded
  EXPECT_GT(loads_, loads_before);

  TestServers::get().start_redis();
  EXPECT_TRUE(eventually(
      [&] { return a.redis_state() == RedisState::up && b.redis_state() == RedisState::up; }));
  EXPECT_EQ(read(b.feedback_stats(), key), "v2");
}

TEST_F(CacheSetTest, AStaleFillNeverLandsInRedis) {
  CacheSet a(io_, options("a"));
  run(a.start());
  const std::string key = feedback_stats_key("racy");
  db_[key] = "old";
  // The load reads the old value; the write and its invalidation happen before it finishes.
  auto racy_loader = [&]() -> Task<std::optional<std::string>> {
    std::string seen = db_[key];
    db_[key] = "new";
    std::vector<std::string> keys{key};
    co_await a.invalidate(std::move(keys));
    co_return seen;
  };
  EXPECT_EQ(**run(a.feedback_stats().get_or_load(key, racy_loader)), "old");
  EXPECT_EQ(admin_command({"EXISTS", key}).as_integer(), 0);
  EXPECT_EQ(a.feedback_stats().stats().l2_fills_refused, 1u);
  EXPECT_EQ(read(a.feedback_stats(), key), "new");
}

TEST_F(CacheSetTest, AForeignValueUnderAKeyIsAMissAndIsReplaced) {
  CacheSet a(io_, options("a"));
  run(a.start());
  const std::string key = feedback_stats_key("legacy");
  admin_command({"SET", key, "a plain string from an older deployment"});
  db_[key] = "fresh";
  EXPECT_EQ(read(a.feedback_stats(), key), "fresh");
  EXPECT_EQ(a.feedback_stats().stats().l2_errors, 0u);
  EXPECT_EQ(admin_command({"HGET", key, "v"}).text, "fresh");
}

TEST_F(CacheSetTest, StatsCountL2EntriesPerCache) {
  CacheSet a(io_, options("a"));
  run(a.start());
  for (int i = 0; i < 3; ++i) {
    const std::string key = feedback_stats_key("s" + std::to_string(i));
    db_[key] = "v";
    read(a.feedback_stats(), key);
  }
  db_[backfill_job_key("j")] = "job";
  read(a.backfill_job(), backfill_job_key("j"));
  auto stats = run(a.stats());
  EXPECT_TRUE(stats.l2_counts_current);
  EXPECT_EQ(stats.redis, RedisState::up);
  ASSERT_EQ(stats.caches.size(), 4u);
  EXPECT_EQ(stats.caches[0].name, "feedback_stats");
  EXPECT_EQ(stats.caches[0].l2.entries, 3u);
  EXPECT_EQ(stats.caches[0].l1.entries, 3u);
  EXPECT_EQ(stats.caches[1].l2.entries, 1u);
  EXPECT_EQ(stats.caches[2].l2.entries, 0u);
  write(a, feedback_stats_key("s0"), "w");
  stats = run(a.stats());
  EXPECT_EQ(stats.caches[0].l2.entries, 2u);
}

TEST_F(CacheSetTest, WithoutRedisEverythingWorksInProcess) {
  auto o = options("solo");
  o.redis_url.clear();
  CacheSet solo(io_, o);
  run(solo.start());
  EXPECT_EQ(solo.redis_state(), RedisState::disabled);
  const std::string key = feedback_stats_key("x");
  db_[key] = "v1";
  EXPECT_EQ(read(solo.feedback_stats(), key), "v1");
  EXPECT_EQ(read(solo.feedback_stats(), key), "v1");
  EXPECT_EQ(loads_, 1);
  write(solo, key, "v2");
  EXPECT_EQ(read(solo.feedback_stats(), key), "v2");
  EXPECT_FALSE(run(solo.stats()).l2_counts_current);
}

}  // namespace
}  // namespace utxoiq::cache
