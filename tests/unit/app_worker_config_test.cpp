// `serve --workers N`, the pure part: the worker count, each worker's pool share, the worker's
// command line (settings as flags, never a secret) and environment (the secrets), and the
// restart policy of the supervisor.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app/exit_codes.hpp"
#include "app/worker_config.hpp"
#include "app/worker_restart.hpp"

namespace utxoiq::app {
namespace {

using std::chrono::milliseconds;

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The value after `flag` in argv, "" when the flag is absent.
std::string value_of(const std::vector<std::string>& argv, const std::string& flag) {
  const auto it = std::find(argv.begin(), argv.end(), flag);
  return it == argv.end() || it + 1 == argv.end() ? std::string() : *(it + 1);
}

TEST(WorkerCount, DefaultIsTheAvailableCpus) {
  EXPECT_EQ(resolve_worker_count(std::nullopt, 4, 8080).count, 4);
  EXPECT_EQ(resolve_worker_count(0, 2, 8080).count, 2);
  EXPECT_EQ(resolve_worker_count(0, 0, 8080).count, 1);  // at least one
}

TEST(WorkerCount, GivenCountWins) {
  EXPECT_EQ(resolve_worker_count(1, 8, 8080).count, 1);
  EXPECT_EQ(resolve_worker_count(3, 1, 8080).count, 3);
}

TEST(WorkerCount, PortZeroMeansOneProcessAndRefusesMore) {
  EXPECT_EQ(resolve_worker_count(std::nullopt, 8, 0).count, 1);
  EXPECT_TRUE(resolve_worker_count(1, 8, 0).error.empty());
  const auto refused = resolve_worker_count(2, 8, 0);
  EXPECT_NE(refused.error.find("fixed --listen port"), std::string::npos) << refused.error;
}

TEST(WorkerPool, SharesStayWithinTheTotal) {
  for (int max = 1; max <= 40; ++max) {
    for (int min = 1; min <= max; ++min) {
      for (int count = 1; count <= 8; ++count) {
        const PoolSettings total{.min_size = min, .max_size = max};
        const PoolSettings share = worker_pool(total, count);
        EXPECT_GE(share.min_size, 1);
        EXPECT_LE(share.min_size, share.max_size);
        // Within --pool-max in total, except that every worker has at least one connection.
        EXPECT_LE(share.max_size * count, std::max(max, count)) << max << " " << count;
      }
    }
  }
  const PoolSettings share = worker_pool({.min_size = 5, .max_size = 20}, 2);
  EXPECT_EQ(share.max_size, 10);
  EXPECT_EQ(share.min_size, 2);
  EXPECT_EQ(worker_pool({.min_size = 5, .max_size = 20}, 1).max_size, 20);
}

ServeConfig config_with_secrets() {
  ServeConfig config;
  config.listen = "127.0.0.1:8080";
  config.database.database_url = "postgresql://u:db-secret@127.0.0.1/db";
  config.redis_url = "redis://:redis-secret@127.0.0.1:6379";
  config.bootstrap_admin_key = "bootstrap-secret-0123456789abcdef0123";
  config.replicas.urls = {"postgresql://u:replica-secret@10.0.0.2/db"};
  config.alert_webhook = "http://hook-secret@127.0.0.1:9/alert";
  config.pool.max_size = 20;
  config.pool.min_size = 4;
  config.shutdown_grace_s = 2.5;
  config.query_insight = false;
  config.worker_metrics_dir = "/var/lib/utxoiq/run/metrics";
  return config;
}

TEST(WorkerArgv, CarriesTheSettingsAsFlagsAndNoSecret) {
  const ServeConfig config = config_with_secrets();
  const auto argv = worker_argv("/proc/self/exe", config, 1, 2);
  ASSERT_GE(argv.size(), 2u);
  EXPECT_EQ(argv[0], "/proc/self/exe");
  EXPECT_EQ(argv[1], "serve");
  EXPECT_EQ(value_of(argv, "--worker-index"), "1");
  EXPECT_EQ(value_of(argv, "--worker-count"), "2");
  EXPECT_EQ(value_of(argv, "--worker-metrics-dir"), "/var/lib/utxoiq/run/metrics");
  EXPECT_EQ(value_of(argv, "--listen"), "127.0.0.1:8080");
  EXPECT_EQ(value_of(argv, "--pool-max"), "10");
  EXPECT_EQ(value_of(argv, "--pool-min"), "2");
  EXPECT_EQ(value_of(argv, "--shutdown-grace"), "2.5");
  EXPECT_EQ(value_of(argv, "--query-insight"), "off");
  EXPECT_TRUE(has(argv, "--no-migrate"));
  EXPECT_FALSE(has(argv, "--embedded-replicas"));
  EXPECT_FALSE(has(argv, "--workers"));
  for (const auto& arg : argv) {
    EXPECT_EQ(arg.find("secret"), std::string::npos) << arg;
  }
}

TEST(WorkerEnvironment, CarriesTheSecretsAndSanitizerOptionsOnly) {
  const ServeConfig config = config_with_secrets();
  const auto environment =
      worker_environment(config, "postgresql://u:db-secret@127.0.0.1:5/db", config.redis_url,
                         {"HOME=/root", "ASAN_OPTIONS=detect_leaks=1", "DATABASE_URL=stale"});
  EXPECT_TRUE(has(environment, "DATABASE_URL=postgresql://u:db-secret@127.0.0.1:5/db"));
  EXPECT_TRUE(has(environment, "REDIS_URL=redis://:redis-secret@127.0.0.1:6379"));
  EXPECT_TRUE(has(environment, "UTXOIQ_BOOTSTRAP_ADMIN_KEY=bootstrap-secret-0123456789abcdef0123"));
  EXPECT_TRUE(has(environment, "DATABASE_REPLICA_URLS=postgresql://u:replica-secret@10.0.0.2/db"));
  EXPECT_TRUE(has(environment, "UTXOIQ_ALERT_WEBHOOK=http://hook-secret@127.0.0.1:9/alert"));
  EXPECT_TRUE(has(environment, "ASAN_OPTIONS=detect_leaks=1"));
  EXPECT_FALSE(has(environment, "HOME=/root"));
  EXPECT_FALSE(has(environment, "DATABASE_URL=stale"));
}

TEST(WorkerEnvironment, NoRedisMeansNoRedisUrl) {
  ServeConfig config = config_with_secrets();
  config.no_redis = true;
  const auto environment = worker_environment(config, "postgresql://x/db", "redis://r", {});
  for (const auto& entry : environment) EXPECT_NE(entry.rfind("REDIS_URL=", 0), 0u) << entry;
}

TEST(WorkerRestart, BackoffDoublesFromHalfASecondToThirtySeconds) {
  EXPECT_EQ(restart_delay(1), milliseconds(500));
  EXPECT_EQ(restart_delay(2), milliseconds(1000));
  EXPECT_EQ(restart_delay(3), milliseconds(2000));
  EXPECT_EQ(restart_delay(7), milliseconds(30'000));  // 32 s capped
  EXPECT_EQ(restart_delay(1000), milliseconds(30'000));
}

TEST(WorkerRestart, CrashesRestartWithGrowingDelay) {
  auto decision = decide_restart(-1, milliseconds(100), 0, true);  // killed by a signal
  EXPECT_FALSE(decision.stop_all);
  EXPECT_EQ(decision.delay, milliseconds(500));
  EXPECT_EQ(decision.consecutive_failures, 1);
  decision = decide_restart(kExitFailure, milliseconds(100), decision.consecutive_failures, false);
  EXPECT_EQ(decision.delay, milliseconds(1000));
  EXPECT_EQ(decision.consecutive_failures, 2);
}

TEST(WorkerRestart, AStableRunResetsTheBackoff) {
  const auto decision = decide_restart(-1, kStableRun, 5, false);
  EXPECT_FALSE(decision.stop_all);
  EXPECT_EQ(decision.consecutive_failures, 1);
  EXPECT_EQ(decision.delay, kFirstRestartDelay);
}

TEST(WorkerRestart, StartFailuresOfAFirstStartStopEverythingWithTheirCode) {
  for (const int code : {kExitUsage, kExitDatabaseUnreachable, kExitListenFailed,
                         kExitMigrationFailed, kExitEmbeddedFailed}) {
    const auto decision = decide_restart(code, milliseconds(10), 0, true);
    EXPECT_TRUE(decision.stop_all) << code;
    EXPECT_EQ(decision.exit_code, code);
  }
  EXPECT_FALSE(decide_restart(kExitOk, milliseconds(10), 0, true).stop_all);
  EXPECT_FALSE(decide_restart(kExitFailure, milliseconds(10), 0, true).stop_all);
}

TEST(WorkerRestart, AStartFailureOfARestartedWorkerIsRestartedLikeACrash) {
  // PostgreSQL was restarting when the worker came back: the others keep serving, it retries.
  const auto decision = decide_restart(kExitDatabaseUnreachable, milliseconds(10), 2, false);
  EXPECT_FALSE(decision.stop_all);
  EXPECT_EQ(decision.consecutive_failures, 3);
  EXPECT_EQ(decision.delay, milliseconds(2000));
}

}  // namespace
}  // namespace utxoiq::app
