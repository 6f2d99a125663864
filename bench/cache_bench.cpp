// Micro benchmarks of the cache (issue 5): an L1 hit, a TwoLevelCache hit (L1, through the
// coroutine path a handler uses), a TwoLevelCache L2 hit and a rate-limiter decision on a real
// redis-server (started here, private, on a free loopback port), and Zipf hit-rate figures over
// 10,000 keys (counters, one iteration each; the traces come from a fixed seed, so they are the
// same on every machine).
//   build/release/bench/cache_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/embedded_redis.hpp"
#include "cache/cache_keys.hpp"
#include "cache/cache_set.hpp"
#include "cache/distributed_rate_limiter.hpp"
#include "cache/l1_cache.hpp"
#include "cache/two_level_cache.hpp"
#include "obs/logging.hpp"

namespace {

namespace asio = boost::asio;
using namespace utxoiq;
using namespace std::chrono_literals;

template <typename T>
T run(asio::io_context& io, Task<T> task) {
  std::optional<T> out;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
    failure = e;
    if (!e) out.emplace(std::move(value));
  });
  io.restart();
  while (!out && !failure && io.run_one() > 0) {
  }
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

void run_void(asio::io_context& io, Task<void> task) {
  bool done = false;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e) {
    failure = e;
    done = true;
  });
  io.restart();
  while (!done && io.run_one() > 0) {
  }
  if (failure) std::rethrow_exception(failure);
}

// One private redis-server for the whole binary.
app::EmbeddedRedis& redis_server() {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("utxoiq-cache-bench-" + std::to_string(getpid()));
  static app::EmbeddedRedis server = [] {
    app::EmbeddedRedisOptions o;
    o.data_dir = dir.string();
    return app::EmbeddedRedis(o);
  }();
  static const bool started = [] {
    obs::init_logging(obs::LogLevel::warn);
    server.start();
    std::atexit([] {
      server.stop();
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    });
    return true;
  }();
  (void)started;
  return server;
}

const auto kValue = std::make_shared<const std::string>(
    R"({"insight_id":"abc","total_ratings":12,"average_rating":4.25,"rating_distribution":)"
    R"({"1":0,"2":1,"3":1,"4":4,"5":6},"total_comments":3,"total_flags":0})");

cache::TwoLevelCache::Loader loader_for(std::string id) {
  return [id = std::move(id)]() -> Task<std::optional<std::string>> { co_return *kValue; };
}

// --- L1 hit -----------------------------------------------------------------------------------

void BM_L1Hit(benchmark::State& state) {
  cache::L1Cache l1({.max_entries = 10'000, .max_bytes = 64 << 20, .shards = 16});
  std::vector<std::string> keys;
  for (int i = 0; i < 10'000; ++i) {
    keys.push_back(cache::feedback_stats_key("insight-" + std::to_string(i)));
    l1.put(keys.back(), kValue, 3600s);
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto hit = l1.get(keys[i++ % keys.size()]);
    benchmark::DoNotOptimize(hit);
  }
}
BENCHMARK(BM_L1Hit);

// --- TwoLevelCache hit (L1), as a handler calls it: key built, loader made, coroutine awaited ---

void BM_TwoLevelCacheHit(benchmark::State& state) {
  asio::io_context io;
  cache::TwoLevelCacheOptions o;
  o.name = "feedback_stats";
  o.ttl = 3600s;
  o.l1.max_entries = 10'000;
  cache::TwoLevelCache cache(o, cache::CacheContext{});
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "insight-" + std::to_string(i);
    run(io, cache.get_or_load(cache::feedback_stats_key(id), loader_for(id)));
  }
  run_void(io, [&]() -> Task<void> {
    int i = 0;
    for (auto _ : state) {
      const std::string id = "insight-" + std::to_string(i++ % 1000);
      auto value = co_await cache.get_or_load(cache::feedback_stats_key(id), loader_for(id));
      benchmark::DoNotOptimize(value);
    }
  }());
  if (cache.stats().loads != 1000) state.SkipWithError("a hit loaded");
}
BENCHMARK(BM_TwoLevelCacheHit);

// --- TwoLevelCache L2 hit on the real Redis: L1 dropped before each read ------------------------

void BM_TwoLevelCacheL2Hit(benchmark::State& state) {
  asio::io_context io;
  cache::CacheSetOptions o;
  o.redis_url = redis_server().url();
  o.key_prefix = "bench:";
  cache::CacheSet caches(io, o);
  run_void(io, caches.start());
  auto& cache = caches.feedback_stats();
  const std::string key = cache::feedback_stats_key("insight-l2");
  run(io, cache.get_or_load(key, loader_for("insight-l2")));
  run_void(io, [&]() -> Task<void> {
    for (auto _ : state) {
      cache.invalidate_local({key}, {});
      auto value = co_await cache.get_or_load(key, loader_for("insight-l2"));
      benchmark::DoNotOptimize(value);
    }
  }());
  // At most the first read of the first run loads (later runs find it in Redis already).
  if (cache.stats().loads > 1) state.SkipWithError("an L2 hit loaded");
  caches.stop();
}
BENCHMARK(BM_TwoLevelCacheL2Hit)->UseRealTime();

// --- One rate-limiter decision through the Lua script ----------------------------------------

void BM_RateLimiterRedis(benchmark::State& state) {
  asio::io_context io;
  cache::RedisClientOptions ro;
  ro.url = redis_server().url();
  cache::RedisClient redis(io, ro);
  run_void(io, redis.start());
  cache::DistributedRateLimiterOptions o;
  o.limits.per_key_limit = 1'000'000'000;
  o.limits.global_limit = 1'000'000'000;
  o.limits.window = 1s;  // keeps the sorted sets small during the run
  o.key_prefix = "bench:";
  cache::DistributedRateLimiter limiter(redis, o);
  run_void(io, [&]() -> Task<void> {
    int i = 0;
    for (auto _ : state) {
      auto decision = co_await limiter.acquire("key-" + std::to_string(i++ % 100), false);
      benchmark::DoNotOptimize(decision);
    }
  }());
  if (limiter.counters().fallback_decisions != 0) state.SkipWithError("Redis not used");
}
BENCHMARK(BM_RateLimiterRedis)->UseRealTime();

// --- Zipf hit rates ----------------------------------------------------------------------------

// Ranks with P(i) ~ 1 / (i + 1)^s from a fixed seed (the raw 64-bit output, not a library
// distribution, so the trace is the same everywhere).
std::vector<std::uint32_t> zipf_trace(std::uint32_t keys, double s, std::size_t length) {
  std::vector<double> cumulative(keys);
  double total = 0;
  for (std::uint32_t i = 0; i < keys; ++i) cumulative[i] = total += 1.0 / std::pow(i + 1.0, s);
  std::mt19937_64 rng(5);
  std::vector<std::uint32_t> trace(length);
  for (auto& rank : trace) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53 * total;
    rank = static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(
        std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin(), keys - 1));
  }
  return trace;
}

constexpr std::uint32_t kZipfKeys = 10'000;
constexpr std::size_t kZipfRequests = 1'000'000;

// L1 alone, read-through as TwoLevelCache uses it. Args: L1 entries, admission (0/1).
void BM_ZipfL1HitRate(benchmark::State& state) {
  const auto trace = zipf_trace(kZipfKeys, 0.99, kZipfRequests);
  std::vector<std::string> keys;
  for (std::uint32_t i = 0; i < kZipfKeys; ++i) {
    keys.push_back(cache::feedback_stats_key("insight-" + std::to_string(i)));
  }
  double rate = 0;
  for (auto _ : state) {
    cache::L1Cache l1({.max_entries = static_cast<std::size_t>(state.range(0)),
                       .max_bytes = 64 << 20,
                       .shards = 16,
                       .refresh_ahead_fraction = 0.0,
                       .admission_filter = state.range(1) != 0});
    std::uint64_t hits = 0;
    for (const std::uint32_t rank : trace) {
      if (l1.get(keys[rank])) {
        ++hits;
      } else {
        l1.put(keys[rank], kValue, 3600s);
      }
    }
    rate = static_cast<double>(hits) / static_cast<double>(trace.size());
  }
  state.counters["hit_rate"] = rate;
}
BENCHMARK(BM_ZipfL1HitRate)
    ->ArgsProduct({{1000, 2000}, {0, 1}})
    ->ArgNames({"l1_entries", "admission"})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// L1 (1,000 entries, the shipped admission filter) over Redis: the share of requests that never
// reached the loader, and the share L1 alone answered. Two instances alternate, as behind a
// load balancer; the same 1,000,000 requests as above (each L1 miss is a Redis round trip). The
// loads left are the first request of each key (cold misses).
void BM_ZipfTwoLevelHitRate(benchmark::State& state) {
  const auto trace = zipf_trace(kZipfKeys, 0.99, kZipfRequests);
  asio::io_context io;
  cache::CacheSetOptions o;
  o.redis_url = redis_server().url();
  o.key_prefix = "bench-zipf:";
  o.caches.feedback_stats.l1.max_entries = 1000;
  std::vector<std::unique_ptr<cache::CacheSet>> instances;
  for (int i = 0; i < 2; ++i) {
    instances.push_back(std::make_unique<cache::CacheSet>(io, o));
    run_void(io, instances.back()->start());
  }
  for (auto _ : state) {
    run_void(io, [&]() -> Task<void> {
      std::size_t n = 0;
      for (const std::uint32_t rank : trace) {
        const std::string id = "insight-" + std::to_string(rank);
        auto& cache = instances[n++ % 2]->feedback_stats();
        co_await cache.get_or_load(cache::feedback_stats_key(id), loader_for(id));
      }
    }());
  }
  std::uint64_t loads = 0, l1_hits = 0;
  for (auto& instance : instances) {
    const auto s = instance->feedback_stats().stats();
    loads += s.loads;
    l1_hits += s.l1.hits;
  }
  state.counters["hit_rate"] = 1.0 - static_cast<double>(loads) / trace.size();
  state.counters["loads"] = static_cast<double>(loads);
  state.counters["l1_hit_rate"] = static_cast<double>(l1_hits) / trace.size();
  for (auto& instance : instances) instance->stop();
}
BENCHMARK(BM_ZipfTwoLevelHitRate)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
