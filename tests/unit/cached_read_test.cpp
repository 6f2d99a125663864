// read_through (api/cached_read.hpp), the one way a cached reader reads, on a real named cache (a
// TwoLevelCache over our fake L2 and a manual clock) with a loader standing in for the store:
//  - a miss loads the JSON text once and fills the cache; a hit answers it without building a
//    loader or asking L2;
//  - "not found" is answered and never cached; a loader's error reaches the caller and is not
//    cached either;
//  - the named cache's TTL decides how long an entry serves, and the miss's tags drop it.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "api/cached_read.hpp"
#include "cache/two_level_cache.hpp"
#include "resilience/clock.hpp"
#include "support/fake_l2_store.hpp"
#include "support/run_task.hpp"

namespace utxoiq::api {
namespace {

using namespace std::chrono_literals;
using resilience::ManualClock;
using testing::FakeL2Store;
using testing::run_task;

constexpr auto kTtl = 300s;

class ReadThrough : public ::testing::Test {
 protected:
  static cache::TwoLevelCacheOptions options() {
    cache::TwoLevelCacheOptions o;
    o.name = "widgets";
    o.ttl = kTtl;
    o.l1.refresh_ahead_fraction = 0.0;  // no early refresh: the TTL alone ends an entry
    return o;
  }
  cache::CacheContext context() {
    cache::CacheContext c;
    c.l2 = &l2_;
    c.instance_id = "instance-a";
    c.now = clock_.fn();
    return c;
  }

  // What a cached reader's read is: the key, and how to load the text on a miss (here from db_).
  std::optional<std::string> read(const std::string& id) {
    return run_task(io_, read_through(cache_, "widget:" + id, [this, id] {
                      ++misses_;
                      return CacheMiss{.load = [this, id]() -> Task<std::optional<std::string>> {
                                         ++loads_;
                                         if (database_down_) throw std::runtime_error("down");
                                         const auto it = db_.find(id);
                                         if (it == db_.end()) co_return std::nullopt;
                                         co_return it->second;
                                       },
                                       .tags = {"widget-tag:" + id}};
                    }));
  }

  boost::asio::io_context io_;
  ManualClock clock_;
  FakeL2Store l2_{clock_.fn()};
  cache::TwoLevelCache cache_{options(), context()};
  std::map<std::string, std::string> db_;
  int misses_ = 0;  // describe_miss calls
  int loads_ = 0;   // loader calls
  bool database_down_ = false;
};

TEST_F(ReadThrough, AMissLoadsTheTextOnceAndFillsBothLevels) {
  db_["w1"] = R"({"id":"w1"})";
  EXPECT_EQ(read("w1"), R"({"id":"w1"})");
  EXPECT_EQ(misses_, 1);
  EXPECT_EQ(loads_, 1);
  EXPECT_TRUE(cache_.held_here("widget:w1"));
  EXPECT_EQ(l2_.value_of("widget:w1"), R"({"id":"w1"})");
}

TEST_F(ReadThrough, AHitAnswersTheCachedTextWithoutBuildingALoaderOrAskingL2) {
  db_["w1"] = R"({"id":"w1"})";
  read("w1");
  db_["w1"] = R"({"id":"changed behind the cache"})";
  const auto l2_lookups = l2_.lookups;
  EXPECT_EQ(read("w1"), R"({"id":"w1"})");
  EXPECT_EQ(misses_, 1);
  EXPECT_EQ(loads_, 1);
  EXPECT_EQ(l2_.lookups, l2_lookups);
}

TEST_F(ReadThrough, NotFoundIsAnsweredAndNeverCached) {
  EXPECT_EQ(read("w2"), std::nullopt);
  EXPECT_FALSE(cache_.held_here("widget:w2"));
  db_["w2"] = R"({"id":"w2"})";  // created after the first read: found at once
  EXPECT_EQ(read("w2"), R"({"id":"w2"})");
  EXPECT_EQ(loads_, 2);
}

TEST_F(ReadThrough, TheNamedCacheSetsTheTtl) {
  db_["w1"] = R"({"v":1})";
  read("w1");
  db_["w1"] = R"({"v":2})";
  clock_.advance(kTtl - 1s);
  EXPECT_EQ(read("w1"), R"({"v":1})");  // still within the cache's TTL: a hit
  EXPECT_EQ(loads_, 1);
  clock_.advance(2s);
  EXPECT_EQ(read("w1"), R"({"v":2})");  // past it, in L1 and L2: loaded again
  EXPECT_EQ(loads_, 2);
}

TEST_F(ReadThrough, ALoaderErrorReachesTheCallerAndIsNotCached) {
  db_["w1"] = R"({"id":"w1"})";
  database_down_ = true;
  EXPECT_THROW(read("w1"), std::runtime_error);
  EXPECT_FALSE(cache_.held_here("widget:w1"));
  database_down_ = false;
  EXPECT_EQ(read("w1"), R"({"id":"w1"})");
  EXPECT_EQ(loads_, 2);
}

TEST_F(ReadThrough, TheTagsOfTheMissDropTheEntry) {
  db_["w1"] = R"({"v":1})";
  read("w1");
  db_["w1"] = R"({"v":2})";
  run_task(io_, cache_.invalidate({}, {"widget-tag:w1"}));  // what a write's invalidator does
  EXPECT_EQ(read("w1"), R"({"v":2})");
  EXPECT_EQ(loads_, 2);
}

}  // namespace
}  // namespace utxoiq::api
