// See worker_config.hpp.
#include "app/worker_config.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <string_view>

namespace utxoiq::app {
namespace {

// Shortest text that reads back as the same double (to_chars), so a worker's timeouts equal ours.
std::string number(double value) {
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  assert(ec == std::errc());
  return std::string(buffer.data(), end);
}

void add(std::vector<std::string>& argv, std::string flag, std::string value) {
  argv.push_back(std::move(flag));
  argv.push_back(std::move(value));
}

void add_if_set(std::vector<std::string>& argv, std::string flag, const std::string& value) {
  if (!value.empty()) add(argv, std::move(flag), value);
}

std::string joined(const std::vector<std::string>& values, char separator) {
  std::string text;
  for (const auto& value : values) {
    if (!text.empty()) text += separator;
    text += value;
  }
  return text;
}

}  // namespace

WorkerCount resolve_worker_count(std::optional<int> requested, int available_cpus,
                                 std::uint16_t port) {
  const bool given = requested && *requested > 0;
  if (given && *requested > 1 && port == 0) {
    return {.count = 1,
            .error = "--workers " + std::to_string(*requested) +
                     " needs a fixed --listen port: with port 0 each worker would listen on "
                     "another port"};
  }
  if (given) return {.count = *requested, .error = {}};
  if (port == 0) return {.count = 1, .error = {}};
  return {.count = std::max(1, available_cpus), .error = {}};
}

PoolSettings worker_pool(const PoolSettings& total, int count) {
  assert(count >= 1);
  PoolSettings share = total;
  share.max_size = std::max(1, total.max_size / count);
  share.min_size = std::clamp(total.min_size / count, 1, share.max_size);
  return share;
}

std::vector<std::string> worker_argv(const std::string& executable, const ServeConfig& config,
                                     int index, int count) {
  assert(count >= 1 && index >= 0 && index < count);
  const PoolSettings pool = worker_pool(config.pool, count);
  std::vector<std::string> argv{executable, "serve"};
  add(argv, "--worker-index", std::to_string(index));
  add(argv, "--worker-count", std::to_string(count));
  add_if_set(argv, "--worker-metrics-dir", config.worker_metrics_dir);
  add(argv, "--listen", config.listen);
  add(argv, "--data-dir", config.database.data_dir);
  if (config.no_redis) argv.emplace_back("--no-redis");
  add(argv, "--pool-min", std::to_string(pool.min_size));
  add(argv, "--pool-max", std::to_string(pool.max_size));
  add(argv, "--pool-timeout", number(pool.acquire_timeout_s));
  add(argv, "--pool-idle-timeout", std::to_string(pool.idle_timeout_s));
  add(argv, "--statement-timeout-ms", std::to_string(pool.statement_timeout_ms));
  argv.emplace_back("--no-migrate");
  add(argv, "--log-level", config.log_level);
  add(argv, "--shutdown-grace", number(config.shutdown_grace_s));
  add(argv, "--backfill-stall-minutes", std::to_string(config.backfill_stall_minutes));
  add(argv, "--rate-limit-per-key", std::to_string(config.rate_limit.per_key));
  add(argv, "--rate-limit-global", std::to_string(config.rate_limit.global));
  add(argv, "--max-connections", std::to_string(config.max_connections));
  add(argv, "--auth-failure-limit", std::to_string(config.failed_auth_limit));
  add_if_set(argv, "--redis-key-prefix", config.redis_key_prefix);
  add(argv, "--backfill-retention-days", std::to_string(config.retention.backfill_days));
  add(argv, "--feedback-retention-days", std::to_string(config.retention.feedback_days));
  add(argv, "--metrics-retention-days", std::to_string(config.retention.metrics_days));
  add(argv, "--metrics-cold-retention-days", std::to_string(config.retention.metrics_cold_days));
  add_if_set(argv, "--archive-dir", config.retention.archive_dir);
  add(argv, "--retention-time", config.retention.time);
  add_if_set(argv, "--backup-dir", config.backup.dir);
  add_if_set(argv, "--backup-mirror-dir", config.backup.mirror_dir);
  add(argv, "--slow-query-ms", std::to_string(config.slow_query_ms));
  add(argv, "--n-plus-one-threshold", std::to_string(config.n_plus_one_threshold));
  add(argv, "--query-insight", config.query_insight ? "on" : "off");
  add(argv, "--replica-max-lag", number(config.replicas.max_lag_s));
  add(argv, "--health-interval", number(config.replicas.health_interval_s));
  return argv;
}

std::vector<std::string> worker_environment(const ServeConfig& config,
                                            const std::string& database_url,
                                            const std::string& redis_url,
                                            const std::vector<std::string>& parent_environment) {
  std::vector<std::string> environment;
  const auto add_variable = [&environment](std::string_view name, const std::string& value) {
    if (!value.empty()) environment.push_back(std::string(name) + "=" + value);
  };
  add_variable("DATABASE_URL", database_url);
  if (!config.no_redis) add_variable("REDIS_URL", redis_url);
  add_variable("DATABASE_REPLICA_URLS", joined(config.replicas.urls, ','));
  add_variable("UTXOIQ_BOOTSTRAP_ADMIN_KEY", config.bootstrap_admin_key);
  add_variable("UTXOIQ_ALERT_WEBHOOK", config.alert_webhook);
  for (const auto& entry : parent_environment) {
    const std::string_view name = std::string_view(entry).substr(0, entry.find('='));
    if (name == "ASAN_OPTIONS" || name == "LSAN_OPTIONS" || name == "UBSAN_OPTIONS" ||
        name == "TSAN_OPTIONS") {
      environment.push_back(entry);
    }
  }
  return environment;
}

}  // namespace utxoiq::app
