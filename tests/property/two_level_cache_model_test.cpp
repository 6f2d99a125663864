// Two instances of a named cache (TwoLevelCache) sharing one L2 (the fake of our own L2Store
// interface) and a fake invalidation bus, under random reads, writes (by key and by tag), clock
// advances, L2 evictions, one instance going deaf (its subscription lost) and whole Redis outages.
// The database is a map of versions; the glue between bus and caches is cache_set.hpp's rule,
// written out here: going deaf or hearing again flushes that instance's L1, and every Redis
// session after an outage starts by moving the L2 epoch and flushing every L1.
//
// Checked after every read, against the database:
//  - the instance that made the last write of a key reads that write at once (always);
//  - any instance reads the current value, or, only while it may have missed invalidations, a
//    value superseded less than unheard_ttl_cap (1 s) ago — never older;
//  - (refresh off) a read served by L1 never calls the loader;
//  - every read is counted once, as an L1 hit or miss.
// And separately: concurrent misses of one key make exactly one load.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <ostream>
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
using resilience::Duration;
using resilience::ManualClock;
using resilience::TimePoint;
using testing::FakeL2Store;
using testing::run_task;

constexpr int kKeys = 6;
constexpr int kTags = 3;
constexpr Duration kCap = 1s;

struct Op {
  enum Kind { get, write, write_tag, tick, evict, deafen, hear, outage_start, outage_end } kind;
  int instance;  // 0 or 1
  int target;    // key or tag
  int ms;        // tick
};

std::ostream& operator<<(std::ostream& os, const Op& op) {
  static const char* names[] = {"get",    "write", "write_tag",    "tick",      "evict",
                                "deafen", "hear",  "outage_start", "outage_end"};
  return os << names[op.kind] << "(i" << op.instance << " #" << op.target << " " << op.ms << "ms)";
}

rc::Gen<Op> gen_op() {
  return rc::gen::apply(
      [](Op::Kind kind, int instance, int target, int ms) {
        return Op{kind, instance, target, ms};
      },
      rc::gen::weightedElement<Op::Kind>({{16, Op::get},
                                          {4, Op::write},
                                          {2, Op::write_tag},
                                          {6, Op::tick},
                                          {1, Op::evict},
                                          {1, Op::deafen},
                                          {1, Op::hear},
                                          {1, Op::outage_start},
                                          {1, Op::outage_end}}),
      rc::gen::inRange(0, 2), rc::gen::inRange(0, kKeys), rc::gen::inRange(1, 1500));
}

std::string key_name(int k) {
  return "feedback:stats:k" + std::to_string(k);
}
std::string tag_name(int t) {
  return "t" + std::to_string(t);
}
// A key's tags are a function of the key (the cache requires it).
std::vector<std::string> tags_of(int k) {
  if (k % 2 == 0) return {tag_name(k % kTags)};
  return {tag_name(k % kTags), tag_name((k + 1) % kTags)};
}

struct Version {
  int number = 0;
  TimePoint written_at{};
  int writer = -1;
};

class World {
 public:
  World(double refresh_fraction, bool admission) : l2_(clock_.fn()) {
    for (int i = 0; i < 2; ++i) {
      TwoLevelCacheOptions o;
      o.name = "feedback_stats";
      o.ttl = 30s;
      o.l1.max_entries = 4;  // small: evictions and admission refusals happen
      o.l1.shards = 2;
      o.l1.refresh_ahead_fraction = refresh_fraction;
      o.l1.admission_filter = admission;
      CacheContext c;
      c.l2 = &l2_;
      c.hearing = [this, i] { return !deaf_[i]; };
      c.unheard_ttl_cap = kCap;
      c.instance_id = "i" + std::to_string(i);
      c.on_invalidation_lost = [this, i] { lost_[i] = true; };
      c.now = clock_.fn();
      caches_[i] = std::make_unique<TwoLevelCache>(o, c);
    }
    // The bus: a published message reaches the other instance unless it is deaf.
    l2_.on_publish = [this](const InvalidationMessage& m) {
      for (int i = 0; i < 2; ++i) {
        if (m.origin == "i" + std::to_string(i) || deaf_[i]) continue;
        if (m.flush) {
          caches_[i]->clear_local();
        } else {
          caches_[i]->invalidate_local(m.keys, m.tags);
        }
      }
    };
    for (int k = 0; k < kKeys; ++k) history_[k].push_back(Version{0, clock_.now(), -1});
  }

  void apply(const Op& op) {
    const int i = op.instance;
    switch (op.kind) {
      case Op::get:
        check_get(i, op.target);
        break;
      case Op::write:
        write(i, {op.target}, {key_name(op.target)}, {});
        break;
      case Op::write_tag: {
        const int t = op.target % kTags;
        std::vector<int> keys;
        for (int k = 0; k < kKeys; ++k) {
          for (const auto& tag : tags_of(k)) {
            if (tag == tag_name(t)) keys.push_back(k);
          }
        }
        write(i, keys, {}, {tag_name(t)});
        break;
      }
      case Op::tick:
        clock_.advance(std::chrono::milliseconds(op.ms));
        break;
      case Op::evict:
        l2_.evict(key_name(op.target));
        break;
      case Op::deafen:  // this instance's subscription is lost (Redis itself is fine)
        if (!outage_ && !deaf_[i]) {
          deaf_[i] = true;
          caches_[i]->clear_local();
        }
        break;
      case Op::hear:
        if (!outage_ && deaf_[i]) {
          deaf_[i] = false;
          caches_[i]->clear_local();
        }
        break;
      case Op::outage_start:  // Redis gone: every L2 call fails, nobody hears
        if (!outage_) {
          outage_ = true;
          l2_.set_failing(true);
          for (int j = 0; j < 2; ++j) {
            if (!deaf_[j]) caches_[j]->clear_local();
            deaf_[j] = true;
          }
        }
        break;
      case Op::outage_end:
        if (outage_) {
          outage_ = false;
          l2_.set_failing(false);
          // The new sessions: subscribers first (hearing again: flush), then each command
          // connection's first step moves the epoch and publishes a flush.
          for (int j = 0; j < 2; ++j) {
            deaf_[j] = false;
            caches_[j]->clear_local();
          }
          for (int j = 0; j < 2; ++j) {
            l2_.bump_epoch();
            lost_[j] = false;
            run_task(io_,
                     l2_.invalidate(InvalidationMessage{"i" + std::to_string(j), {}, {}, true}));
            caches_[j]->clear_local();
          }
        }
        break;
    }
    poll();  // background refreshes
  }

  void burst(int k, int readers) {
    auto& cache = *caches_[0];
    cache.invalidate_local({key_name(k)}, {});
    asio::steady_timer gate(io_, asio::steady_timer::time_point::max());
    bool open = false;
    int loads = 0;
    int done = 0;
    std::vector<std::string> got;
    for (int r = 0; r < readers; ++r) {
      asio::co_spawn(
          io_,
          [&]() -> Task<void> {
            auto loader = [&]() -> Task<std::optional<std::string>> {
              ++loads;
              if (!open) co_await gate.async_wait(asio::as_tuple(asio::use_awaitable));
              co_return std::string("v");
            };
            const auto v = co_await cache.get_or_load(key_name(k), loader, tags_of(k));
            got.push_back(**v);
            ++done;
          },
          asio::detached);
    }
    poll();
    open = true;
    gate.cancel();
    poll();
    RC_ASSERT(done == readers);
    RC_ASSERT(loads == 1);
    for (const auto& v : got) RC_ASSERT(v == "v");
  }

  bool refresh_on = false;
  bool stale_reads_seen = false;  // for the distribution of cases

 private:
  void poll() {
    io_.restart();
    io_.poll();
  }

  TwoLevelCache::Loader loader_for(int k) {
    return [this, k]() -> Task<std::optional<std::string>> {
      ++loads_;
      co_return std::to_string(history_[k].back().number);
    };
  }

  void write(int i, const std::vector<int>& changed, std::vector<std::string> keys,
             std::vector<std::string> tags) {
    for (int k : changed) {
      history_[k].push_back(Version{history_[k].back().number + 1, clock_.now(), i});
    }
    run_task(io_, caches_[i]->invalidate(std::move(keys), std::move(tags)));
  }

  void check_get(int i, int k) {
    const auto before = caches_[i]->stats();
    const int loads_before = loads_;
    const auto value =
        run_task(io_, caches_[i]->get_or_load(key_name(k), loader_for(k), tags_of(k)));
    const auto after = caches_[i]->stats();
    RC_ASSERT(value.has_value());
    const int got = std::stoi(**value);
    const Version& current = history_[k].back();

    RC_ASSERT(after.l1.hits + after.l1.misses == before.l1.hits + before.l1.misses + 1);
    if (!refresh_on && after.l1.hits > before.l1.hits) RC_ASSERT(loads_ == loads_before);

    if (current.writer == i) RC_ASSERT(got == current.number);  // read-your-writes
    if (got == current.number) return;
    RC_ASSERT(got < current.number);
    // Stale: only by less than the cap after the write that superseded it.
    const Version& superseding = history_[k][static_cast<std::size_t>(got) + 1];
    RC_ASSERT(clock_.now() - superseding.written_at < kCap);
    stale_reads_seen = true;
  }

  asio::io_context io_;
  ManualClock clock_;
  FakeL2Store l2_;
  std::array<std::unique_ptr<TwoLevelCache>, 2> caches_;
  std::array<bool, 2> deaf_{false, false};
  std::array<bool, 2> lost_{false, false};
  bool outage_ = false;
  int loads_ = 0;
  std::map<int, std::vector<Version>> history_;
};

RC_GTEST_PROP(TwoLevelCacheModel, ReadsAreFreshOrWithinTheCapAndHitsNeverLoad, ()) {
  const bool admission = *rc::gen::arbitrary<bool>();
  World world(0.0, admission);
  const auto ops = *rc::gen::container<std::vector<Op>>(*rc::gen::inRange(1, 300), gen_op());
  for (const Op& op : ops) world.apply(op);
  RC_CLASSIFY(world.stale_reads_seen, "a read within the cap after a missed invalidation");
}

RC_GTEST_PROP(TwoLevelCacheModel, EarlyRefreshKeepsReadsFresh, ()) {
  World world(0.25, true);
  world.refresh_on = true;
  const auto ops = *rc::gen::container<std::vector<Op>>(*rc::gen::inRange(1, 300), gen_op());
  for (const Op& op : ops) world.apply(op);
  RC_CLASSIFY(world.stale_reads_seen, "a read within the cap after a missed invalidation");
}

RC_GTEST_PROP(TwoLevelCacheModel, ConcurrentMissesOfAKeyMakeOneLoad, ()) {
  World world(0.0, true);
  const int readers = *rc::gen::inRange(1, 40);
  world.burst(*rc::gen::inRange(0, kKeys), readers);
}

}  // namespace
}  // namespace utxoiq::cache
