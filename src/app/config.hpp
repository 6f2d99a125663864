#pragma once
// The settings of the commands. Precedence: command-line flag > environment variable > default
// (wired in cli.cpp); environment names follow seed 002 ("Configuration").
#include <chrono>
#include <string>
#include <vector>

namespace utxoiq::app {

// Where the database is: DATABASE_URL, or the embedded cluster under data_dir when it is empty.
struct DatabaseOptions {
  std::string database_url;      // DATABASE_URL
  std::string data_dir = "var";  // UTXOIQ_DATA_DIR: embedded PostgreSQL/Redis data
};

struct PoolSettings {
  int min_size = 5;   // DATABASE_POOL_SIZE
  int max_size = 20;  // DATABASE_POOL_MAX (or DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW)
  double acquire_timeout_s = 5;     // DATABASE_POOL_TIMEOUT
  int idle_timeout_s = 300;         // DATABASE_POOL_IDLE_TIMEOUT
  int statement_timeout_ms = 5000;  // DATABASE_STATEMENT_TIMEOUT_MS
};

// api.md, "Rate limits": sliding windows of one minute.
struct RateLimitSettings {
  int per_key = 100;    // UTXOIQ_RATE_LIMIT_PER_KEY
  int global = 10'000;  // UTXOIQ_RATE_LIMIT_GLOBAL
};

// The circuit breaker of the primary pool (seed 003 task 7). The opening does not grow with
// failed trials: api.md wants the service ready again within 60 s of the database's return.
struct DatabaseBreakerSettings {
  int minimum_calls = 20;
  double failure_rate = 0.5;
  double window_s = 60;
  double open_s = 30;
  int half_open_probes = 3;
};

// Retention (requirement 7): the periods of seed 002, where archives go, when the daily run is.
struct RetentionSettings {
  int backfill_days = 180;      // BACKFILL_RETENTION_DAYS
  int feedback_days = 730;      // FEEDBACK_RETENTION_DAYS
  int metrics_days = 90;        // METRICS_RETENTION_DAYS
  int metrics_cold_days = 365;  // METRICS_COLD_RETENTION_DAYS
  std::string archive_dir;      // UTXOIQ_ARCHIVE_DIR; empty: <data dir>/archive
  std::string time = "02:00";   // UTXOIQ_RETENTION_TIME, UTC
};

// Backups (requirement 8): where the files go. An empty dir means <data dir>/backups, beside the
// embedded PostgreSQL's directory and never inside it.
struct BackupConfig {
  std::string dir;         // --backup-dir, UTXOIQ_BACKUP_DIR
  std::string mirror_dir;  // --backup-mirror-dir, UTXOIQ_BACKUP_MIRROR_DIR: the second location
};

// Read replicas (issue 12, pg/host_router.hpp): one pool per host, sized like the primary's.
struct ReplicaSettings {
  std::vector<std::string> urls;  // --replica-url (repeatable), DATABASE_REPLICA_URLS (a,b,...)
  double max_lag_s = 5;           // --replica-max-lag: out of the rotation above this lag
  double health_interval_s = 10;  // --health-interval: full check of every host
};

struct ServeConfig {
  DatabaseOptions database;
  std::string redis_url;                  // REDIS_URL; empty: embedded redis-server if installed
  bool no_redis = false;                  // --no-redis: run without any Redis (cache disabled)
  std::string listen = "127.0.0.1:8080";  // UTXOIQ_LISTEN
  PoolSettings pool;
  bool migrate_on_start = true;     // --no-migrate turns it off
  std::string log_level = "info";   // UTXOIQ_LOG_LEVEL
  double shutdown_grace_s = 10;     // in-flight requests get this long after SIGINT/SIGTERM
  std::string bootstrap_admin_key;  // UTXOIQ_BOOTSTRAP_ADMIN_KEY
  int backfill_stall_minutes = 10;  // UTXOIQ_BACKFILL_STALL_MINUTES
  RateLimitSettings rate_limit;
  // Before every Redis key and channel of this service (UTXOIQ_REDIS_KEY_PREFIX): lets deployments
  // (or test databases) share one Redis without sharing cache entries or limits.
  std::string redis_key_prefix;
  DatabaseBreakerSettings db_breaker;
  RetentionSettings retention;
  // Hardening: open HTTP connections at most (--max-connections, UTXOIQ_MAX_CONNECTIONS); 0: the
  // descriptor limit less what the pools and files need (serve_max_connections).
  int max_connections = 0;
  // Failed authentications per minute and client address before 429 (--auth-failure-limit).
  int failed_auth_limit = 20;
  // Backups and their alerts.
  BackupConfig backup;
  std::string alert_webhook;  // --alert-webhook, UTXOIQ_ALERT_WEBHOOK: http:// URL; empty: none
  // Query insight (issue 11, pg/query_insight.hpp).
  int slow_query_ms = 100;       // --slow-query-ms, UTXOIQ_SLOW_QUERY_MS
  int n_plus_one_threshold = 5;  // --n-plus-one-threshold, UTXOIQ_N_PLUS_ONE_THRESHOLD
  // Streaming replicas `serve` starts beside the embedded primary (--embedded-replicas,
  // UTXOIQ_EMBEDDED_REPLICAS); their URLs are appended to replicas.urls.
  int embedded_replicas = 0;
  // --query-insight on|off, UTXOIQ_QUERY_INSIGHT: off leaves the pool's statements unobserved
  // (no statistics, slow log, N+1 or statement histogram), to measure what observing costs.
  bool query_insight = true;
  ReplicaSettings replicas;  // issue 12
  // Worker processes (issue 15, docs/architecture.md "Worker processes"): --workers,
  // UTXOIQ_WORKERS; 0: one per CPU available (worker_config.hpp); 1: a single process.
  int workers = 0;
  // Set by the supervisor on its workers' command lines (hidden flags): which worker this process
  // is, of how many; worker_count 0: not a worker (a single process, or the supervisor itself).
  int worker_index = 0;
  int worker_count = 0;
  // Set by the supervisor too: the private (0700) directory of the workers' metrics sockets,
  // `<dir>/worker-<i>.sock` (worker_metrics_dir.hpp, worker_metrics_exchange.hpp); empty: none (a
  // single process).
  std::string worker_metrics_dir;

  // The jobs that must run once per deployment (the daily scheduler) run in worker 0 only.
  bool runs_deployment_jobs() const { return worker_index == 0; }
};

// The bootstrap admin key must be at least this long (api.md): a short one could be guessed.
inline constexpr std::size_t kMinBootstrapKeyLength = 32;

}  // namespace utxoiq::app
