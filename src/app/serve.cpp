// `utxoiq-store serve`: starts (or finds) PostgreSQL and Redis, applies migrations, then runs the
// Service (service.hpp) until SIGINT/SIGTERM; the embedded servers are stopped after it. With
// --workers N > 1 the Service runs in N worker processes under a supervisor
// (worker_supervisor.hpp) instead; the embedded servers and the migrations stay here, once.
#include "app/serve.hpp"

#include <iostream>
#include <memory>
#include <stdexcept>

#include "app/database_target.hpp"
#include "app/embedded_redis.hpp"
#include "app/embedded_replica_set.hpp"
#include "app/exit_codes.hpp"
#include "app/large_allocations.hpp"
#include "app/listen_probe.hpp"
#include "app/service.hpp"
#include "app/worker_config.hpp"
#include "app/worker_supervisor.hpp"
#include "obs/logging.hpp"
#include "ops/migrations.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::app {
namespace {

// The optional private redis-server: started when no REDIS_URL is given and one is installed.
// A failure to start it leaves the service running without Redis (it is a cache), with a warning.
std::unique_ptr<EmbeddedRedis> start_embedded_redis(const ServeConfig& config) {
  if (config.no_redis || !config.redis_url.empty() || !EmbeddedRedis::available()) return nullptr;
  EmbeddedRedisOptions options;
  options.data_dir = data_subdir(config.database, "redis");
  auto redis = std::make_unique<EmbeddedRedis>(options);
  try {
    redis->start();
    obs::log_info("embedded redis-server started", {{"url", redact_url(redis->url())}});
    return redis;
  } catch (const std::exception& e) {
    obs::log_warn("embedded redis-server did not start; running without Redis",
                  {{"error", e.what()}});
    return nullptr;
  }
}

// --embedded-replicas N: streaming replicas of the embedded primary (embedded_replica_set.hpp).
std::unique_ptr<EmbeddedReplicaSet> start_embedded_replicas(const ServeConfig& config,
                                                            const DatabaseTarget& database) {
  if (config.embedded_replicas == 0) return nullptr;
  if (!database.embedded()) {
    throw std::invalid_argument(
        "--embedded-replicas needs the embedded PostgreSQL (no DATABASE_URL)");
  }
  EmbeddedReplicaSetOptions options;
  options.data_dir = data_subdir(config.database, ".");
  options.primary_data_dir = database.embedded_data_dir();
  options.primary_port = database.embedded_port();
  options.count = config.embedded_replicas;
  return std::make_unique<EmbeddedReplicaSet>(options);
}

int apply_migrations(const std::string& url) {
  try {
    const auto report = ops::migrate_up(url, ops::MigrationSet::embedded());
    for (const auto& step : report.steps) {
      obs::log_info(
          "migration applied",
          {{"version", step.version}, {"name", step.name}, {"execution_ms", step.execution_ms}});
    }
    return kExitOk;
  } catch (const pg::BlockingConnectionError& e) {
    std::cerr << "utxoiq-store: database: " << e.what() << "\n";
    return e.sqlstate().empty() ? kExitDatabaseUnreachable : kExitMigrationFailed;
  } catch (const std::exception& e) {
    std::cerr << "utxoiq-store: migrations failed: " << e.what() << "\n";
    return kExitMigrationFailed;
  }
}

// A worker of `serve --workers N`: the supervisor started the servers and applied the migrations,
// and passed their URLs in the environment (config.database.database_url, config.redis_url).
int run_worker(const ServeConfig& config) {
  if (config.database.database_url.empty()) {
    std::cerr << "utxoiq-store: a worker needs DATABASE_URL (the supervisor sets it)\n";
    return kExitUsage;
  }
  obs::log_info("worker", {{"worker", config.worker_index}, {"of", config.worker_count}});
  Service service(config, config.database.database_url,
                  config.no_redis ? std::string() : config.redis_url);
  const int code = service.run();
  obs::log_info("stopped", {{"exit_code", code}, {"worker", config.worker_index}});
  obs::flush_logs();
  return code;
}

}  // namespace

int run_serve(const ServeConfig& config) {
  return_large_allocations_to_the_system();
  obs::init_logging(obs::parse_log_level(config.log_level).value_or(obs::LogLevel::info));
  std::string host;
  std::uint16_t port = 0;
  if (!parse_listen_address(config.listen, host, port)) {
    std::cerr << "utxoiq-store: --listen must be HOST:PORT, got '" << config.listen << "'\n";
    return kExitUsage;
  }
  if (config.worker_count > 0) return run_worker(config);
  const WorkerCount workers = resolve_worker_count(config.workers, available_cpus(), port);
  if (!workers.error.empty()) {
    std::cerr << "utxoiq-store: " << workers.error << "\n";
    return kExitUsage;
  }
  // Before anything starts (listen_probe.hpp): the workers would share a port already in use.
  if (workers.count > 1) {
    if (const auto error = probe_listen_address(host, port); !error.empty()) {
      std::cerr << "utxoiq-store: cannot listen on " << config.listen << ": " << error << "\n";
      return kExitListenFailed;
    }
  }
  std::unique_ptr<DatabaseTarget> database;
  try {
    database = std::make_unique<DatabaseTarget>(config.database);
  } catch (const std::exception& e) {
    std::cerr << "utxoiq-store: " << e.what() << "\n";
    return kExitEmbeddedFailed;
  }
  obs::log_info("database", {{"target", database->describe()}});
  ServeConfig effective = config;
  std::unique_ptr<EmbeddedReplicaSet> replicas;
  try {
    replicas = start_embedded_replicas(config, *database);
  } catch (const std::invalid_argument& e) {
    std::cerr << "utxoiq-store: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "utxoiq-store: " << e.what() << "\n";
    return kExitEmbeddedFailed;
  }
  if (replicas) {
    effective.replicas.urls.insert(effective.replicas.urls.end(), replicas->urls().begin(),
                                   replicas->urls().end());
  }
  const auto redis = start_embedded_redis(config);

  if (config.migrate_on_start) {
    if (const int code = apply_migrations(database->url()); code != kExitOk) return code;
  }
  std::string redis_url = config.no_redis ? std::string() : config.redis_url;
  if (redis) redis_url = redis->url();
  int code = kExitOk;
  if (workers.count > 1) {
    obs::log_info("starting workers", {{"count", workers.count}});
    code = run_worker_supervisor({.config = effective,
                                  .count = workers.count,
                                  .port = port,
                                  .database_url = database->url(),
                                  .redis_url = redis_url});
  } else {
    Service service(effective, database->url(), redis_url);
    code = service.run();
  }
  obs::log_info("stopped", {{"exit_code", code}});
  obs::flush_logs();
  return code;
}

}  // namespace utxoiq::app
