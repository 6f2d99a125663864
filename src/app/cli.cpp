// Command-line parsing with CLI11: every command has --help; flags win over environment variables,
// which win over defaults. A bad flag prints one line and exits with kExitUsage.
#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "app/backup_command.hpp"
#include "app/db_command.hpp"
#include "app/exit_codes.hpp"
#include "app/keys_command.hpp"
#include "app/migrate_command.hpp"
#include "app/partitions_command.hpp"
#include "app/retention_command.hpp"
#include "app/retention_options.hpp"
#include "app/serve.hpp"

namespace utxoiq::app {
namespace {

void add_database_options(CLI::App& cmd, DatabaseOptions& db) {
  cmd.add_option("--database-url", db.database_url,
                 "PostgreSQL URL; without it an embedded cluster in --data-dir is used")
      ->envname("DATABASE_URL");
  cmd.add_option("--data-dir", db.data_dir, "Directory of the embedded PostgreSQL and Redis data")
      ->envname("UTXOIQ_DATA_DIR")
      ->capture_default_str();
}

// Backups: the directories, for `serve` and `backup`.
void add_backup_dir_options(CLI::App& cmd, BackupConfig& backup) {
  cmd.add_option("--backup-dir", backup.dir,
                 "Directory of the backup files (default DATA_DIR/backups)")
      ->envname("UTXOIQ_BACKUP_DIR");
  cmd.add_option("--backup-mirror-dir", backup.mirror_dir,
                 "Second location: every backup is copied here and checked (must exist)")
      ->envname("UTXOIQ_BACKUP_MIRROR_DIR");
}

void add_backup_command(CLI::App& cli, BackupArgs& args) {
  auto* backup = cli.add_subcommand("backup", "Take, list, verify and restore backups");
  backup->require_subcommand(1);
  add_database_options(*backup, args.database);
  add_backup_dir_options(*backup, args.backup);
  backup->add_subcommand("run", "Take a backup now (pg_dump of one snapshot, mirror, retention)")
      ->fallthrough()
      ->callback([&args] { args.action = "run"; });
  backup->add_subcommand("list", "List the kept backups, newest first")
      ->fallthrough()
      ->callback([&args] { args.action = "list"; });
  auto* verify = backup->add_subcommand("verify", "Test-restore a backup (default: the newest)");
  verify->fallthrough();
  verify->add_option("ID", args.id, "The backup's id (see backup list)");
  verify->callback([&args] { args.action = "verify"; });
  auto* restore = backup->add_subcommand("restore", "Restore a backup into a database");
  restore->fallthrough();
  restore->add_option("ID", args.id, "The backup's id (see backup list)")->required();
  restore->add_option("--target", args.target, "Database to restore into (created)")->required();
  restore->add_flag("--force", args.force, "Replace the target even when it holds tables");
  restore->callback([&args] { args.action = "restore"; });
}

// Query insight (issue 11): slow statements and N+1 detection.
void add_query_insight_options(CLI::App& serve, ServeConfig& config) {
  serve
      .add_option("--slow-query-ms", config.slow_query_ms,
                  "Statements taking at least this long are logged with their plan")
      ->envname("UTXOIQ_SLOW_QUERY_MS")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  serve
      .add_option("--n-plus-one-threshold", config.n_plus_one_threshold,
                  "A request running one statement this many times or more is reported as N+1")
      ->envname("UTXOIQ_N_PLUS_ONE_THRESHOLD")
      ->check(CLI::Range(2, 1000000))
      ->capture_default_str();
  serve
      .add_option("--query-insight", config.query_insight,
                  "on|off: observe the pool's statements (off: for overhead measurements)")
      ->envname("UTXOIQ_QUERY_INSIGHT")
      ->capture_default_str();
}

// Read replicas (issue 12).
void add_replica_options(CLI::App& serve, ReplicaSettings& replicas) {
  serve
      .add_option("--replica-url", replicas.urls,
                  "A streaming replica of the primary that may serve reads (repeatable)")
      ->envname("DATABASE_REPLICA_URLS")
      ->delimiter(',');
  serve
      .add_option("--replica-max-lag", replicas.max_lag_s,
                  "Seconds of lag above which a replica serves no reads until it catches up")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  serve
      .add_option("--health-interval", replicas.health_interval_s,
                  "Seconds between two health checks of each database host")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
}

void add_serve_command(CLI::App& cli, ServeConfig& config, int& overflow) {
  auto* serve = cli.add_subcommand("serve", "Run the HTTP service");
  add_database_options(*serve, config.database);
  serve->add_option("--listen", config.listen, "HOST:PORT to serve HTTP on")
      ->envname("UTXOIQ_LISTEN")
      ->capture_default_str();
  serve
      ->add_option("--redis-url", config.redis_url,
                   "Redis URL; without it a private redis-server is started when installed")
      ->envname("REDIS_URL");
  serve->add_flag("--no-redis", config.no_redis, "Run without Redis (cache and limits in process)");
  serve
      ->add_option("--embedded-replicas", config.embedded_replicas,
                   "Streaming replicas of the embedded PostgreSQL to start beside it")
      ->envname("UTXOIQ_EMBEDDED_REPLICAS")
      ->check(CLI::Range(0, 16))
      ->capture_default_str();
  serve->add_option("--pool-min", config.pool.min_size, "Minimum connections per database host")
      ->envname("DATABASE_POOL_SIZE")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  serve->add_option("--pool-max", config.pool.max_size, "Maximum connections per database host")
      ->envname("DATABASE_POOL_MAX")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  serve->add_option("--pool-overflow", overflow, "Connections above --pool-min (sets --pool-max)")
      ->envname("DATABASE_MAX_OVERFLOW")
      ->check(CLI::Range(0, 1000));
  serve
      ->add_option("--pool-timeout", config.pool.acquire_timeout_s,
                   "Seconds to wait for a free connection before answering 503")
      ->envname("DATABASE_POOL_TIMEOUT")
      ->check(CLI::Range(0.001, 600.0))
      ->capture_default_str();
  serve
      ->add_option("--pool-idle-timeout", config.pool.idle_timeout_s,
                   "Seconds before an idle connection above the minimum is closed")
      ->envname("DATABASE_POOL_IDLE_TIMEOUT")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  serve
      ->add_option("--statement-timeout-ms", config.pool.statement_timeout_ms,
                   "PostgreSQL statement_timeout of the service's connections")
      ->envname("DATABASE_STATEMENT_TIMEOUT_MS")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  serve->add_flag("!--no-migrate", config.migrate_on_start,
                  "Do not apply pending migrations at start");
  serve->add_option("--log-level", config.log_level, "trace|debug|info|warn|error")
      ->envname("UTXOIQ_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  serve
      ->add_option("--shutdown-grace", config.shutdown_grace_s,
                   "Seconds in-flight requests get to finish after SIGINT/SIGTERM")
      ->envname("UTXOIQ_SHUTDOWN_GRACE")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  serve
      ->add_option("--backfill-stall-minutes", config.backfill_stall_minutes,
                   "A running job without progress for longer is reported stale")
      ->envname("UTXOIQ_BACKFILL_STALL_MINUTES")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve
      ->add_option("--rate-limit-per-key", config.rate_limit.per_key,
                   "Requests per minute per API key (admin keys are not limited)")
      ->envname("UTXOIQ_RATE_LIMIT_PER_KEY")
      ->check(CLI::Range(1, 100'000'000))
      ->capture_default_str();
  serve
      ->add_option("--rate-limit-global", config.rate_limit.global,
                   "Requests per minute across all non-admin keys")
      ->envname("UTXOIQ_RATE_LIMIT_GLOBAL")
      ->check(CLI::Range(1, 1'000'000'000))
      ->capture_default_str();
  serve
      ->add_option("--max-connections", config.max_connections,
                   "Open HTTP connections at most; more are closed at once (0: from the "
                   "descriptor limit, leaving room for the pools)")
      ->envname("UTXOIQ_MAX_CONNECTIONS")
      ->check(CLI::Range(0, 10'000'000))
      ->capture_default_str();
  serve
      ->add_option("--auth-failure-limit", config.failed_auth_limit,
                   "Failed authentications per minute from one address before 429")
      ->envname("UTXOIQ_AUTH_FAILURE_LIMIT")
      ->check(CLI::Range(1, 1'000'000'000))
      ->capture_default_str();
  serve
      ->add_option("--redis-key-prefix", config.redis_key_prefix,
                   "Prefix of every Redis key and channel (several deployments on one Redis)")
      ->envname("UTXOIQ_REDIS_KEY_PREFIX");
  add_retention_options(*serve, config.retention);
  add_backup_dir_options(*serve, config.backup);
  serve
      ->add_option("--alert-webhook", config.alert_webhook,
                   "http:// URL that failed-backup alerts are POSTed to as JSON")
      ->envname("UTXOIQ_ALERT_WEBHOOK");
  add_query_insight_options(*serve, config);
  add_replica_options(*serve, config.replicas);
  serve
      ->add_option("--workers", config.workers,
                   "Worker processes sharing the port (0: one per available CPU; 1: a single "
                   "process, no supervisor)")
      ->envname("UTXOIQ_WORKERS")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  // Hidden (group ""): only the supervisor passes them, to its workers (worker_config.hpp).
  serve->add_option("--worker-index", config.worker_index)->group("")->check(CLI::Range(0, 1023));
  serve->add_option("--worker-count", config.worker_count)->group("")->check(CLI::Range(1, 1024));
  serve->add_option("--worker-metrics-dir", config.worker_metrics_dir)->group("");
}

void add_migrate_command(CLI::App& cli, MigrateArgs& args) {
  auto* migrate = cli.add_subcommand("migrate", "Manage the database schema");
  migrate->require_subcommand(1);
  add_database_options(*migrate, args.database);
  migrate->add_option("--migrations-dir", args.migrations_dir,
                      "Read migrations from this directory instead of the built-in ones");
  const std::pair<const char*, const char*> actions[] = {
      {"status", "List every migration and whether it is applied"},
      {"up", "Apply pending migrations in order, each in its own transaction"},
      {"down", "Roll back the most recent applied migration"},
      {"verify", "Report applied migrations whose file changed or is missing"},
  };
  for (const auto& [name, help] : actions) {
    // fallthrough: `migrate status --data-dir X` works as well as `migrate --data-dir X status`.
    migrate->add_subcommand(name, help)->fallthrough()->callback([&args, name = name] {
      args.action = name;
    });
  }
  auto* create = migrate->add_subcommand("create", "Write the next NNNN_NAME.up.sql/.down.sql");
  create->fallthrough();
  create->add_option("NAME", args.name, "Name of the migration, [a-z0-9_]+")->required();
  create->callback([&args] { args.action = "create"; });
}

void add_keys_command(CLI::App& cli, KeysArgs& args) {
  auto* keys = cli.add_subcommand("keys", "Manage the API keys of the service");
  keys->require_subcommand(1);
  add_database_options(*keys, args.database);
  // fallthrough: the database options may come after the action too.
  auto* create = keys->add_subcommand("create", "Make a new key and print it (shown only once)");
  create->fallthrough();
  create->add_option("--role", args.role, "reader, writer or admin")
      ->required()
      ->check(CLI::IsMember({"reader", "writer", "admin"}));
  create->add_option("--name", args.name, "What the key is for (at most 100 characters)");
  create->callback([&args] { args.action = "create"; });
  keys->add_subcommand("list", "List every key (never the key itself)")
      ->fallthrough()
      ->callback([&args] { args.action = "list"; });
  auto* revoke = keys->add_subcommand("revoke", "Revoke a key; services refuse it within seconds");
  revoke->fallthrough();
  revoke->add_option("ID", args.id, "The key's id (see keys list)")->required();
  revoke->callback([&args] { args.action = "revoke"; });
}

void add_partitions_command(CLI::App& cli, PartitionsArgs& args) {
  auto* partitions = cli.add_subcommand("partitions", "Manage the partitions of system_metrics");
  partitions->require_subcommand(1);
  add_database_options(*partitions, args.database);
  partitions
      ->add_option("--days-ahead", args.days_ahead, "Create day partitions this many days ahead")
      ->check(CLI::Range(0, 3660))
      ->capture_default_str();
  partitions->add_subcommand("maintain", "Create day partitions ahead; move rows out of DEFAULT")
      ->fallthrough()
      ->callback([&args] { args.action = "maintain"; });
}

void add_db_command(CLI::App& cli, DbArgs& args) {
  auto* db = cli.add_subcommand("db", "Database diagnostics");
  db->require_subcommand(1);
  add_database_options(*db, args.database);
  auto* advise = db->add_subcommand(
      "advise", "Index suggestions (hypopg) and unused, duplicate, invalid indexes");
  advise->fallthrough();
  advise->add_option("--statement", args.statements, "A statement to find an index for");
  advise
      ->add_option("--min-unused-bytes", args.min_unused_bytes,
                   "Unused indexes smaller than this are not listed")
      ->check(CLI::Range(0LL, 1LL << 50))
      ->capture_default_str();
  advise->callback([&args] { args.action = "advise"; });
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{"utxoiq-store: persistence and caching service of utxoIQ"};
  cli.require_subcommand(1);
  ServeConfig serve_config;
  int overflow = -1;
  MigrateArgs migrate_args;
  KeysArgs keys_args;
  add_serve_command(cli, serve_config, overflow);
  add_migrate_command(cli, migrate_args);
  add_keys_command(cli, keys_args);
  PartitionsArgs partitions_args;
  add_partitions_command(cli, partitions_args);
  RetentionArgs retention_args;
  add_database_options(*add_retention_command(cli, retention_args), retention_args.database);
  BackupArgs backup_args;
  add_backup_command(cli, backup_args);
  DbArgs db_args;
  add_db_command(cli, db_args);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "utxoiq-store: " << e.what() << " (see --help)\n";
    return kExitUsage;
  }

  if (cli.got_subcommand("serve")) {
    if (overflow >= 0) serve_config.pool.max_size = serve_config.pool.min_size + overflow;
    if (serve_config.worker_count > 0 && serve_config.worker_index >= serve_config.worker_count) {
      std::cerr << "utxoiq-store: --worker-index must be below --worker-count\n";
      return kExitUsage;
    }
    if (serve_config.pool.max_size < serve_config.pool.min_size) {
      std::cerr << "utxoiq-store: --pool-max must not be below --pool-min\n";
      return kExitUsage;
    }
    if (const char* key = std::getenv("UTXOIQ_BOOTSTRAP_ADMIN_KEY")) {
      serve_config.bootstrap_admin_key = key;
      if (serve_config.bootstrap_admin_key.size() < kMinBootstrapKeyLength) {
        std::cerr << "utxoiq-store: UTXOIQ_BOOTSTRAP_ADMIN_KEY must be at least "
                  << kMinBootstrapKeyLength << " characters (it has "
                  << serve_config.bootstrap_admin_key.size() << "); refusing to start\n";
        return kExitUsage;
      }
    }
    return run_serve(serve_config);
  }
  if (cli.got_subcommand("migrate")) return run_migrate(migrate_args);
  if (cli.got_subcommand("keys")) return run_keys(keys_args);
  if (cli.got_subcommand("partitions")) return run_partitions(partitions_args);
  if (cli.got_subcommand("retention")) return run_retention_command(retention_args);
  if (cli.got_subcommand("backup")) return run_backup_command(backup_args);
  if (cli.got_subcommand("db")) return run_db(db_args);
  return kExitUsage;
}

}  // namespace utxoiq::app
