// The read-your-writes check a routed read pays in process (issue 12): the reading key's token
// looked up among 10,000 keys, whether the tokens are complete (the clock read included), and the
// router's decision over 2 replicas -- what ReplicaSet::current_request() and route() compute for
// every read statement, without the pools; the token part alone; and one token merged from the
// feed (learn_token, once per write anywhere).
//   build/release/bench/ryw_check_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "pg/host_router.hpp"
#include "pg/ryw_tokens.hpp"
#include "pg/token_feed_completeness.hpp"

namespace {

using namespace utxoiq;

constexpr int kKeys = 10'000;

std::vector<std::string> key_ids() {
  std::vector<std::string> keys;
  for (int i = 0; i < kKeys; ++i) keys.push_back("0190f1c2-7b1e-7c3a-9d4e-" + std::to_string(i));
  return keys;
}

void BM_ReadDecision(benchmark::State& state) {
  const auto keys = key_ids();
  pg::RywTokens tokens;
  for (int i = 0; i < kKeys; i += 2) tokens.record(keys[i], pg::Lsn{1000 + std::uint64_t(i)});
  pg::TokenFeedCompleteness feed(std::chrono::seconds(7));
  feed.hearing(true, pg::TokenFeedCompleteness::Clock::now() - std::chrono::seconds(60));
  std::vector<pg::ReplicaView> replicas(2);
  for (auto& view : replicas) {
    view.state = pg::HostState::up;
    view.replay_lsn = pg::Lsn{1'000'000};
    view.load = {.ewma_ms = 1.0, .in_flight = 1, .pool_max = 20};
  }
  const pg::RouterLimits limits;
  std::size_t i = 0;
  double u = 0;
  for (auto _ : state) {
    pg::StatementRequest request;
    request.tokens_complete = feed.complete(pg::TokenFeedCompleteness::Clock::now());
    request.key_token = tokens.token(keys[i]);
    const auto route = pg::route_statement(request, replicas, limits, u);
    benchmark::DoNotOptimize(route);
    i = (i + 7) % kKeys;
    u = u > 0.9 ? 0 : u + 0.1;
  }
}
BENCHMARK(BM_ReadDecision);

// The read-your-writes part alone: the key's token and whether the tokens are complete.
void BM_TokenCheck(benchmark::State& state) {
  const auto keys = key_ids();
  pg::RywTokens tokens;
  for (int i = 0; i < kKeys; i += 2) tokens.record(keys[i], pg::Lsn{1000 + std::uint64_t(i)});
  pg::TokenFeedCompleteness feed(std::chrono::seconds(7));
  feed.hearing(true, pg::TokenFeedCompleteness::Clock::now() - std::chrono::seconds(60));
  std::size_t i = 0;
  for (auto _ : state) {
    const bool complete = feed.complete(pg::TokenFeedCompleteness::Clock::now());
    const auto token = tokens.token(keys[i]);
    benchmark::DoNotOptimize(complete);
    benchmark::DoNotOptimize(token);
    i = (i + 7) % kKeys;
  }
}
BENCHMARK(BM_TokenCheck);

void BM_LearnToken(benchmark::State& state) {
  const auto keys = key_ids();
  pg::RywTokens tokens;
  std::uint64_t lsn = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    tokens.learn(keys[i], pg::Lsn{++lsn});
    i = (i + 7) % kKeys;
  }
  benchmark::DoNotOptimize(tokens.size());
}
BENCHMARK(BM_LearnToken);

}  // namespace
