// The service's wiring (see service.hpp): what runs on the io_context, in which order it starts,
// and the reverse order it stops in: stop accepting, let in-flight requests finish (bounded by
// the shutdown grace), stop the monitors, close the pool.
#include "app/service.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <charconv>
#include <future>
#include <iostream>
#include <optional>
#include <thread>

#include "api/api_docs.hpp"
#include "api/auth_middleware.hpp"
#include "api/authenticator.hpp"
#include "api/backfill_routes.hpp"
#include "api/backup_routes.hpp"
#include "api/cached_backfill_jobs.hpp"
#include "api/cached_feedback_stats.hpp"
#include "api/cached_metrics.hpp"
#include "api/database_errors.hpp"
#include "api/feedback_routes.hpp"
#include "api/health_routes.hpp"
#include "api/heavy_request_limit.hpp"
#include "api/metric_routes.hpp"
#include "api/monitoring_cache_routes.hpp"
#include "api/monitoring_database_routes.hpp"
#include "api/monitoring_indexes_routes.hpp"
#include "api/monitoring_queries_routes.hpp"
#include "api/openapi_routes.hpp"
#include "api/publish_metrics_route.hpp"
#include "api/rate_limit_middleware.hpp"
#include "api/replica_routing_middleware.hpp"
#include "api/ui_routes.hpp"
#include "app/alert_webhook.hpp"
#include "app/backup_command.hpp"
#include "app/backup_jobs.hpp"
#include "app/database_up_metric.hpp"
#include "app/exit_codes.hpp"
#include "app/failed_auth_metrics.hpp"
#include "app/index_advice.hpp"
#include "app/loop_lag_monitor.hpp"
#include "app/metrics_maintenance.hpp"
#include "app/periodic_task.hpp"
#include "app/pool_metrics.hpp"
#include "app/replica_wiring.hpp"
#include "app/retention_service.hpp"
#include "app/ryw_token_feed.hpp"
#include "app/self_metrics.hpp"
#include "app/worker_info_metric.hpp"
#include "app/worker_metrics_exchange.hpp"
#include "cache/cache_set.hpp"
#include "cache/distributed_failed_auth_limiter.hpp"
#include "cache/distributed_rate_limiter.hpp"
#include "cache/redis_failure_counts.hpp"
#include "domain/api_key.hpp"
#include "http/request_scope.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "obs/logging.hpp"
#include "obs/metrics.hpp"
#include "ops/scheduler.hpp"
#include "pg/errors.hpp"
#include "pg/health_monitor.hpp"
#include "pg/host_resolution.hpp"
#include "pg/pool.hpp"
#include "pg/query_insight.hpp"
#include "resilience/breaker_metrics.hpp"
#include "store/api_key_store.hpp"
#include "store/partition_coverage.hpp"
#include "store/pg_backfill_jobs.hpp"
#include "store/pg_feedback.hpp"
#include "store/pg_metric_reader.hpp"
#include "store/pg_metric_writer.hpp"

namespace utxoiq::app {

namespace asio = boost::asio;

bool parse_listen_address(const std::string& text, std::string& host, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string parsed_host = text.substr(0, colon);
  if (parsed_host.size() > 2 && parsed_host.front() == '[' && parsed_host.back() == ']') {
    parsed_host = parsed_host.substr(1, parsed_host.size() - 2);  // [::1]:8080
  }
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  unsigned parsed_port = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, parsed_port);
  if (ec != std::errc() || ptr != end || begin == end || parsed_port > 65535) return false;
  host = std::move(parsed_host);
  port = static_cast<std::uint16_t>(parsed_port);
  return true;
}

namespace {

std::shared_ptr<resilience::CircuitBreaker> database_breaker(const ServeConfig& config) {
  const auto seconds = [](double s) {
    return std::chrono::duration_cast<resilience::Duration>(std::chrono::duration<double>(s));
  };
  resilience::CircuitBreakerOptions o;
  o.minimum_calls = static_cast<std::uint32_t>(config.db_breaker.minimum_calls);
  o.failure_rate_threshold = config.db_breaker.failure_rate;
  o.window = seconds(config.db_breaker.window_s);
  o.open_duration = seconds(config.db_breaker.open_s);
  o.max_open_duration = o.open_duration;  // see DatabaseBreakerSettings
  o.open_backoff_multiplier = 1.0;
  o.half_open_probes = static_cast<std::uint32_t>(config.db_breaker.half_open_probes);
  o.on_transition = [](resilience::BreakerState from, resilience::BreakerState to) {
    obs::log_warn("database circuit breaker",
                  {{"from", resilience::to_string(from)}, {"to", resilience::to_string(to)}});
  };
  return std::make_shared<resilience::CircuitBreaker>(o);
}

cache::CacheSetOptions cache_options(const ServeConfig& config, const std::string& redis_url) {
  cache::CacheSetOptions options;
  options.redis_url = redis_url;
  options.key_prefix = config.redis_key_prefix;
  return options;
}

cache::DistributedRateLimiterOptions limiter_options(const ServeConfig& config,
                                                     const std::string& instance_id) {
  cache::DistributedRateLimiterOptions options;
  options.limits.per_key_limit = static_cast<std::uint32_t>(config.rate_limit.per_key);
  options.limits.global_limit = static_cast<std::uint32_t>(config.rate_limit.global);
  options.instance_id = instance_id;
  options.key_prefix = config.redis_key_prefix;
  return options;
}

resilience::FailedAuthLimits failed_auth_limits(const ServeConfig& config) {
  return {.limit = static_cast<std::size_t>(std::max(1, config.failed_auth_limit))};
}

cache::RedisFailureCountsOptions auth_failure_count_options(const ServeConfig& config,
                                                            const std::string& instance_id) {
  cache::RedisFailureCountsOptions options;
  options.limits = failed_auth_limits(config);
  options.key_prefix = config.redis_key_prefix;
  options.instance_id = instance_id;
  return options;
}

pg::PoolOptions pool_options(const ServeConfig& config, const std::string& url,
                             std::shared_ptr<resilience::CircuitBreaker> breaker) {
  pg::PoolOptions options;
  options.breaker = std::move(breaker);
  options.conninfo = url;
  options.name = "primary";
  options.min_size = static_cast<std::size_t>(config.pool.min_size);
  options.max_size = static_cast<std::size_t>(config.pool.max_size);
  options.acquire_timeout =
      std::chrono::milliseconds(static_cast<long long>(config.pool.acquire_timeout_s * 1000));
  options.idle_timeout = std::chrono::seconds(config.pool.idle_timeout_s);
  options.connection.statement_timeout_ms = config.pool.statement_timeout_ms;
  return options;
}

// Hardening: the connection cap, from the descriptor limit when not given. Reserved: twice the
// pool (connections being replaced), Redis, logs, the listener and a margin for reconnects.
std::size_t serve_max_connections(const ServeConfig& config) {
  if (config.max_connections > 0) return static_cast<std::size_t>(config.max_connections);
  return http::default_max_connections(2 * static_cast<std::size_t>(config.pool.max_size) + 256);
}

std::chrono::milliseconds seconds_to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// Query insight (issue 11): the pool's statements are observed by it.
pg::QueryInsightOptions insight_options(const ServeConfig& config) {
  pg::QueryInsightOptions options;
  options.slow_threshold = std::chrono::milliseconds(config.slow_query_ms);
  options.n_plus_one_threshold = static_cast<std::uint32_t>(config.n_plus_one_threshold);
  return options;
}

pg::PoolOptions observed_by(pg::PoolOptions options, pg::QueryInsight& insight, bool observe) {
  if (observe) options.connection.observer = insight.observer();
  return options;
}

MetricsMaintenanceOptions maintenance_options(const util::LiveUrl& url) {
  MetricsMaintenanceOptions options;
  options.database_url = url;
  return options;
}

}  // namespace

struct Service::Impl {
  Impl(ServeConfig service_config, std::string database, std::string redis)
      : config(std::move(service_config)),
        database_url(std::move(database)),
        redis_url(std::move(redis)),
        db_breaker(database_breaker(config)),
        pool(io.get_executor(), observed_by(pool_options(config, database_url, db_breaker), insight,
                                            config.query_insight)),
        health(io.get_executor(), pool),
        caches(io, cache_options(config, redis_url)),
        limiter(caches.redis(), limiter_options(config, caches.instance_id())),
        metric_maintenance(io, pool, metric_partitions, maintenance_options(current_database_url)) {
    feedback.add_write_listener(cached_feedback_stats.invalidator());
    backfill_jobs.add_write_listener(cached_backfill_jobs.invalidator());
    metric_writer.add_write_listener(cached_metrics.invalidator());
    scheduler.add(retention.daily_job([this] { return scheduler.stop_requested(); }));
    insight.set_explain_pool(&pool);
  }

  // How often the in-memory API keys are reloaded (so a revocation is effective within seconds)
  // and their last_used_at written.
  static constexpr std::chrono::seconds kKeyRefreshInterval{2};

  ServeConfig config;
  std::string database_url;
  std::string redis_url;
  // The primary's URL for the blocking work on other threads; moved by a failover.
  util::LiveUrl current_database_url{database_url};
  asio::io_context io{1};
  // Statement statistics, slow statements, N+1 (issue 11); before the pool that reports to it.
  pg::QueryInsight insight{io.get_executor(), insight_options(config), obs::default_registry()};
  std::shared_ptr<resilience::CircuitBreaker> db_breaker;
  pg::Pool pool;
  pg::HealthMonitor health;
  // Read replicas (issue 12): null without --replica-url; state changes go to the webhook.
  std::shared_ptr<pg::ReplicaSet> replicas =
      make_replica_set(io.get_executor(), pool, pool.options(), config.replicas, [this](Alert a) {
        if (alert_webhook) alert_webhook->send(std::move(a));
      });
  // Failover (issue 12): null without replicas; a follow moves every database user over.
  std::shared_ptr<pg::PrimaryFollower> primary_follower = make_primary_follower(
      io.get_executor(), pool, database_url, config.replicas,
      [this](Alert a) {
        if (alert_webhook) alert_webhook->send(std::move(a));
      },
      [this](const std::string& url) { current_database_url.set(url); });
  store::PgBackfillJobs backfill_jobs{pool};
  store::PgFeedback feedback{pool};
  store::PgApiKeys api_keys{pool};
  api::Authenticator authenticator{api_keys};
  PeriodicTask key_refresh{io.get_executor(), "api key refresh", kKeyRefreshInterval,
                           [this] { return authenticator.refresh(); }};
  PeriodicTask key_usage_flush{io.get_executor(), "api key last_used_at flush", kKeyRefreshInterval,
                               [this] { return authenticator.flush_usage(); }};
  // Route descriptions for /openapi.json, filled by the add_*_routes calls.
  api::ApiDocs docs;
  // The named caches of seed 002 over Redis (state "disabled" without a URL), used by the cached
  // readers below (see cache/cache_set.hpp).
  cache::CacheSet caches;
  // Read-your-writes tokens of every instance, over Redis (null without replicas or Redis).
  std::unique_ptr<RywTokenFeed> ryw_tokens =
      make_ryw_token_feed(io, replicas.get(), caches, redis_url, config.redis_key_prefix);
  // Shares the caches' Redis connection; the in-process limits while Redis is unavailable.
  cache::DistributedRateLimiter limiter;
  // 429 per client address after repeated 401s, counted across every worker and instance in
  // Redis (the caches' connection); this process's own count while Redis is unavailable.
  cache::RedisFailureCounts auth_failure_counts{
      caches.redis(), auth_failure_count_options(config, caches.instance_id())};
  cache::DistributedFailedAuthLimiter failed_auth{auth_failure_counts, failed_auth_limits(config)};
  // The cached reads in front of the repositories; the repositories' write listeners (set in the
  // constructor) invalidate them.
  api::CachedFeedbackStats cached_feedback_stats{feedback, caches};
  api::CachedBackfillJobs cached_backfill_jobs{backfill_jobs, caches};
  // Metrics: the day partitions known to exist, the tables, the reads (cached in front).
  store::PartitionCoverage metric_partitions;
  store::PgMetricReader metric_reader{pool};
  store::PgMetricWriter metric_writer{pool, metric_partitions};
  api::CachedMetrics cached_metrics{metric_reader, caches};
  MetricsMaintenance metric_maintenance;
  // Retention (issue 13): its daily job in the scheduler, its routes on a worker thread.
  RetentionService retention{current_database_url, config};
  // Backups (requirement 8): the jobs on their worker thread, alerting through the webhook when
  // --alert-webhook is set (made in main(), where a bad URL becomes a usage error).
  std::unique_ptr<AlertWebhook> alert_webhook;
  BackupJobs backups{io,
                     {.settings = backup_settings(config.database, config.backup, database_url),
                      .database_url = current_database_url,
                      .alert = [this](Alert alert) {
                        if (alert_webhook) alert_webhook->send(std::move(alert));
                      }}};
  // The daily jobs (ops/scheduler.hpp) on a thread of their own, one instance per slot; jobs are
  // add()ed before main() starts it.
  ops::Scheduler scheduler{{.database_url = current_database_url}};
  // The service's own figures into system_metrics, on request and once a minute (issue 11).
  SelfMetricsPublisher self_metrics{pool, caches, insight, metric_writer};
  IndexAdvisorRunner index_advisor{current_database_url, insight};
  PeriodicTask self_metrics_job{io.get_executor(), "self metrics publish", std::chrono::minutes(1),
                                [this] { return publish_self_metrics(); }};
  LoopLagMonitor loop_lag{io.get_executor()};
  std::optional<http::Server> server;
  // Under `serve --workers N`: this worker's metrics socket, and /metrics showing every worker.
  std::unique_ptr<WorkerMetricsExchange> metrics_exchange =
      config.worker_count > 1 && !config.worker_metrics_dir.empty()
          ? std::make_unique<WorkerMetricsExchange>(io, config.worker_metrics_dir,
                                                    config.worker_index, config.worker_count,
                                                    obs::default_registry())
          : nullptr;
  // Alive as long as the service: collectors added to the (process-wide) registry check it.
  std::shared_ptr<const int> metrics_owner = std::make_shared<const int>(0);
  // Woken (cancelled) to begin the shutdown; stop_requested covers a stop before the wait.
  asio::steady_timer stop_timer{io};
  bool stop_requested = false;
  std::thread thread;
  int exit_code = kExitOk;

  api::DatabaseHost primary_host() {
    return {.host = pg::host_label(pg::build_connect_params(database_url, {})),
            .role = "primary",
            .healthy = [this] { return health.up(); },
            .stats = pool.stats_reader(),
            .replication = {}};
  }

  http::Router make_router() {
    http::Router router;
    api::add_health_routes(
        router,
        {.probe = {
             .primary_up = [this] { return health.up(); },
             .replicas = [this] { return replica_readiness(replicas.get()); },
             .cache_state = [this] { return std::string(cache::to_string(caches.redis_state())); }},
         .registry = obs::default_registry(),
         .exposition = metrics_exchange ? std::function<Task<std::string>()>([this] {
           return metrics_exchange->merged_exposition();
         })
                                        : nullptr},
        docs);
    api::add_backfill_routes(router,
                             {.reads = cached_backfill_jobs,
                              .lister = backfill_jobs,
                              .writer = backfill_jobs,
                              .stall_after = std::chrono::minutes(config.backfill_stall_minutes)},
                             docs);
    api::add_feedback_routes(
        router,
        {.reads = cached_feedback_stats, .stats = feedback, .lister = feedback, .writer = feedback},
        docs);
    api::add_metric_routes(router, {.reads = cached_metrics, .writer = metric_writer}, docs);
    api::add_monitoring_cache_routes(router, {.caches = caches}, docs);
    auto database_hosts = replica_hosts(replicas);
    database_hosts.insert(database_hosts.begin(), primary_host());
    api::add_monitoring_database_routes(router, {.hosts = std::move(database_hosts)}, docs);
    api::add_retention_routes(router, retention.routes(), docs);
    // The operations dashboard (open; its page sends the admin key to the routes above).
    api::add_ui_routes(router, docs);
    api::add_backup_routes(
        router,
        {.run = [this] { return backups.run(); },
         .verify = [this](std::optional<std::string> id) { return backups.verify(std::move(id)); },
         .list = [this] { return backups.list(); }},
        docs);
    api::add_monitoring_queries_routes(router, {.insight = insight}, docs);
    api::add_monitoring_indexes_routes(router,
                                       {.advise = [this] { return index_advisor.advise(); }}, docs);
    api::add_publish_metrics_route(router, {.publish = [this] { return self_metrics.publish(); }},
                                   docs);
    // Lists the routes of the running server, so routes added anywhere above appear too.
    api::add_openapi_routes(router, {.routes = [this] { return server->router().routes(); }}, docs);
    return router;
  }

  Task<void> publish_self_metrics() { co_await self_metrics.publish(); }

  // The bootstrap admin key (UTXOIQ_BOOTSTRAP_ADMIN_KEY) and the first load of the known keys,
  // before the first request is served.
  Task<void> start_authentication() {
    if (!config.bootstrap_admin_key.empty()) {
      // Created only when no key has its hash; a revoked one stays revoked (api.md).
      assert(config.bootstrap_admin_key.size() >= kMinBootstrapKeyLength);
      const auto bootstrap =
          co_await api_keys.ensure_admin(domain::api_key_hash(config.bootstrap_admin_key),
                                         "bootstrap (UTXOIQ_BOOTSTRAP_ADMIN_KEY)");
      if (bootstrap == store::BootstrapKey::revoked) {
        obs::log_warn(
            "UTXOIQ_BOOTSTRAP_ADMIN_KEY was revoked; it stays revoked and the service "
            "starts without it",
            {});
      }
    }
    co_await authenticator.refresh();
    key_refresh.start();
    key_usage_flush.start();
  }

  Task<void> stop_authentication() {
    co_await key_refresh.stop();
    co_await key_usage_flush.stop();
    try {
      co_await authenticator.flush_usage();  // the uses since the last flush
    } catch (const std::exception& e) {
      obs::log_warn("api key last_used_at not recorded at shutdown", {{"error", e.what()}});
    }
  }

  // The daily backup at 01:00 UTC and, on Sundays after it, the test restore of the newest backup
  // (a failure of either is alerted by BackupJobs, then rethrown for the scheduler's record).
  void add_backup_jobs() {
    scheduler.add(
        {.name = "backup", .time_of_day = std::chrono::hours{1}, .after = {}, .run = [this] {
           backups.run_blocking();
         }});
    scheduler.add({.name = "backup_verify",
                   .time_of_day = std::chrono::hours{1},
                   .after = {"backup"},
                   .run = [this] {
                     if (ops::backup_kind(now_utc()) == "weekly") backups.verify_blocking({});
                   }});
  }

  // Everything up to "listening"; then waits for the stop request and shuts down.
  Task<void> main(std::function<void()> on_serving) {
    std::string host;
    std::uint16_t port = 0;
    if (!parse_listen_address(config.listen, host, port)) {
      throw std::invalid_argument("--listen must be HOST:PORT, got '" + config.listen + "'");
    }
    co_await pool.start();
    health.start();
    if (replicas) {
      replicas->start();
      add_replica_metrics(obs::default_registry(), replicas);
    }
    if (primary_follower) {
      primary_follower->start();
      add_failover_metrics(obs::default_registry(), primary_follower);
    }
    add_pool_metrics(obs::default_registry(), pool);
    add_database_up_metric(obs::default_registry(), primary_host().host, "primary", metrics_owner,
                           [this] { return health.up(); });
    resilience::add_breaker_metrics(obs::default_registry(), "postgres_primary", db_breaker);
    // Never fails for an unreachable Redis: the cache and the limiter work without it.
    co_await caches.start();
    caches.add_metrics(obs::default_registry());
    if (ryw_tokens) {
      co_await ryw_tokens->start();
      ryw_tokens->add_metrics(obs::default_registry());
    }
    co_await start_authentication();
    add_failed_auth_metrics(obs::default_registry(), metrics_owner, failed_auth);
    co_await metric_maintenance.start();  // partitions exist before the first write
    retention.start();
    if (!config.alert_webhook.empty()) {
      alert_webhook =
          std::make_unique<AlertWebhook>(AlertWebhookOptions{.url = config.alert_webhook});
    }
    co_await backups.start();  // the backup metrics, with the catalogue's last successes
    // Once per deployment: the daily jobs (backups, their test restore, retention) in worker 0
    // only. The scheduler's advisory locks would keep them single anyway; one scheduler spares
    // the other workers its thread and connections. Per worker, as each needs its own: the
    // metric maintenance (it refreshes this process's partition coverage; its DDL is under an
    // advisory lock), the self-metrics publishing (per-instance figures), the key refresh.
    if (config.runs_deployment_jobs()) {
      add_backup_jobs();
      scheduler.start();
    }
    add_worker_info_metric(obs::default_registry(), config.worker_index, metrics_owner);
    // Before the port: a worker that serves requests also answers the others' scrapes.
    if (metrics_exchange) metrics_exchange->start();

    server.emplace(io, make_router(),
                   http::ServerOptions{.host = host,
                                       .port = port,
                                       .reuse_port = config.worker_count > 1,
                                       .max_connections = serve_max_connections(config)});
    server->map_exceptions(api::map_database_error);
    // FIRST: what runs after it knows its request (statements attributed, N+1 counted).
    server->use(http::request_scope_middleware(
        [this](const obs::RequestContext& request) { insight.request_finished(request); }));
    server->use(api::make_auth_middleware(authenticator, &failed_auth));
    // AFTER the auth middleware: it reads request.principal.
    server->use(api::rate_limit_middleware(limiter));
    // Hardening: heavy requests (batch ingest, large pages) of one key at most 2 at a time.
    server->use(api::heavy_request_limit({.heavy_routes = {"metrics_batch"}}));
    // Read replicas (issue 12): which reads may leave the primary, read-your-writes tokens.
    if (replicas) server->use(api::replica_routing_middleware(*replicas));
    server->start();
    self_metrics_job.start();
    loop_lag.start();  // here, on the loop's thread: it reads this thread's CPU accounting
    obs::log_info("serving", {{"address", host}, {"port", static_cast<int>(server->bound_port())}});
    if (on_serving) on_serving();

    if (!stop_requested) {
      stop_timer.expires_at(asio::steady_timer::time_point::max());
      co_await stop_timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    const auto grace = seconds_to_ms(config.shutdown_grace_s);
    co_await server->shutdown(grace);
    if (metrics_exchange) metrics_exchange->stop();
    co_await self_metrics_job.stop();
    co_await loop_lag.stop();
    co_await stop_authentication();
    co_await metric_maintenance.stop();
    scheduler.stop();  // waits for a job in progress (jobs poll stop_requested())
    health.stop();
    if (ryw_tokens) ryw_tokens->stop();
    caches.stop();
    if (primary_follower) primary_follower->stop();
    if (replicas) co_await replicas->stop();
    co_await pool.close(grace);
  }

  // On the io thread.
  void request_stop() {
    stop_requested = true;
    stop_timer.cancel();
  }

  int exit_code_for(std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const http::ListenError& e) {
      std::cerr << "utxoiq-store: cannot listen on " << config.listen << ": " << e.error().message()
                << "\n";
      return kExitListenFailed;
    } catch (const pg::ConnectionError& e) {
      std::cerr << "utxoiq-store: database unreachable: " << e.what() << "\n";
      return kExitDatabaseUnreachable;
    } catch (const std::invalid_argument& e) {
      std::cerr << "utxoiq-store: " << e.what() << "\n";
      return kExitUsage;
    } catch (const std::exception& e) {
      std::cerr << "utxoiq-store: " << e.what() << "\n";
      return kExitFailure;
    }
  }
};

Service::Service(ServeConfig config, std::string database_url, std::string redis_url)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(database_url),
                                   std::move(redis_url))) {}

Service::~Service() {
  if (impl_->thread.joinable()) stop();
}

int Service::run() {
  Impl& impl = *impl_;
  asio::signal_set signals(impl.io, SIGINT, SIGTERM);
  signals.async_wait([&impl](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    obs::log_info("shutting down", {{"signal", signal}});
    impl.request_stop();
  });
  asio::co_spawn(impl.io, impl.main({}), [&impl, &signals](std::exception_ptr error) {
    if (error) impl.exit_code = impl.exit_code_for(error);
    boost::system::error_code ignored;
    signals.cancel(ignored);
    impl.io.stop();
  });
  impl.io.run();
  return impl.exit_code;
}

void Service::start() {
  Impl& impl = *impl_;
  auto serving = std::make_shared<std::promise<void>>();
  auto started = serving->get_future();
  asio::co_spawn(impl.io, impl.main([serving] { serving->set_value(); }),
                 [&impl, serving](std::exception_ptr error) {
                   // A failure before serving reaches start(); after, it is only logged.
                   if (error) {
                     try {
                       serving->set_exception(error);
                     } catch (const std::future_error&) {
                       obs::log_error("service stopped by an error", {});
                     }
                   }
                   impl.io.stop();
                 });
  impl.thread = std::thread([&impl] { impl.io.run(); });
  try {
    started.get();
  } catch (...) {
    impl.thread.join();
    throw;
  }
}

void Service::stop() {
  Impl& impl = *impl_;
  if (!impl.thread.joinable()) return;
  asio::post(impl.io, [&impl] { impl.request_stop(); });
  impl.thread.join();
}

std::uint16_t Service::port() const {
  return impl_->server ? impl_->server->bound_port() : 0;
}

std::vector<http::RouteInfo> Service::routes() const {
  return impl_->server ? impl_->server->router().routes() : std::vector<http::RouteInfo>{};
}

}  // namespace utxoiq::app
