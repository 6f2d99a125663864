// `utxoiq-store serve`: starts (or finds) PostgreSQL and Redis, applies migrations, opens the pool,
// serves HTTP on one io_context thread until SIGINT/SIGTERM, then shuts down in order: stop
// accepting, let in-flight requests finish (bounded), close the pool, stop the embedded servers.
#include "app/serve.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <iostream>
#include <optional>

#include "api/database_errors.hpp"
#include "api/health.hpp"
#include "app/database_target.hpp"
#include "app/embedded_redis.hpp"
#include "app/exit_codes.hpp"
#include "app/pool_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "obs/logging.hpp"
#include "obs/metrics.hpp"
#include "ops/migrations.hpp"
#include "pg/blocking_connection.hpp"
#include "pg/health_monitor.hpp"
#include "pg/pool.hpp"

namespace utxoiq::app {
namespace {

namespace asio = boost::asio;

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

std::optional<ListenAddress> parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  ListenAddress address{text.substr(0, colon), 0};
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);  // [::1]:8080
  }
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  unsigned port = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port > 65535) return std::nullopt;
  address.port = static_cast<std::uint16_t>(port);
  return address;
}

pg::PoolOptions pool_options(const ServeConfig& config, const std::string& url) {
  pg::PoolOptions options;
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

// The optional private redis-server: started when no REDIS_URL is given and one is installed.
// A failure to start it leaves the service running without Redis (it is a cache), with a warning.
std::unique_ptr<EmbeddedRedis> start_embedded_redis(const ServeConfig& config) {
  if (config.no_redis || !config.redis_url.empty() || !EmbeddedRedis::available()) return nullptr;
  EmbeddedRedisOptions options;
  options.data_dir = data_subdir(config.database, "redis");
  auto redis = std::make_unique<EmbeddedRedis>(options);
  try {
    redis->start();
    obs::log_info("embedded redis-server started", {{"url", redis->url()}});
    return redis;
  } catch (const std::exception& e) {
    obs::log_warn("embedded redis-server did not start; running without Redis",
                  {{"error", e.what()}});
    return nullptr;
  }
}

class Service {
 public:
  Service(const ServeConfig& config, const DatabaseTarget& database, ListenAddress listen)
      : config_(config),
        pool_(io_.get_executor(), pool_options(config, database.url())),
        health_(io_.get_executor(), pool_),
        listen_(std::move(listen)) {}

  int run() {
    asio::co_spawn(io_, main(), [this](std::exception_ptr error) {
      if (error) record_failure(error);
      io_.stop();
    });
    io_.run();
    return exit_code_;
  }

 private:
  Task<void> main() {
    co_await pool_.start();
    health_.start();
    add_pool_metrics(obs::default_registry(), pool_);

    http::Router router;
    api::add_health_routes(router,
                           {.primary_up = [this] { return health_.up(); },
                            .replicas_up = {},
                            .cache_state = [] { return std::string("disabled"); }},
                           obs::default_registry());
    server_.emplace(io_, std::move(router),
                    http::ServerOptions{.host = listen_.host, .port = listen_.port});
    server_->map_exceptions(api::map_database_error);
    server_->start();
    obs::log_info("serving",
                  {{"address", listen_.host}, {"port", static_cast<int>(server_->bound_port())}});

    asio::signal_set signals(io_, SIGINT, SIGTERM);
    const int signal = co_await signals.async_wait(asio::use_awaitable);
    obs::log_info("shutting down", {{"signal", signal}});
    const auto grace =
        std::chrono::milliseconds(static_cast<long long>(config_.shutdown_grace_s * 1000));
    co_await server_->shutdown(grace);
    health_.stop();
    co_await pool_.close(grace);
  }

  void record_failure(std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const http::ListenError& e) {
      std::cerr << "utxoiq-store: cannot listen on " << config_.listen << ": " << e.what() << "\n";
      exit_code_ = kExitListenFailed;
    } catch (const pg::ConnectionError& e) {
      std::cerr << "utxoiq-store: database unreachable: " << e.what() << "\n";
      exit_code_ = kExitDatabaseUnreachable;
    } catch (const std::exception& e) {
      std::cerr << "utxoiq-store: " << e.what() << "\n";
      exit_code_ = kExitFailure;
    }
  }

  const ServeConfig& config_;
  asio::io_context io_{1};
  pg::Pool pool_;
  pg::HealthMonitor health_;
  ListenAddress listen_;
  std::optional<http::Server> server_;
  int exit_code_ = kExitOk;
};

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

}  // namespace

int run_serve(const ServeConfig& config) {
  obs::init_logging(obs::parse_log_level(config.log_level).value_or(obs::LogLevel::info));
  const auto listen = parse_listen(config.listen);
  if (!listen) {
    std::cerr << "utxoiq-store: --listen must be HOST:PORT, got '" << config.listen << "'\n";
    return kExitUsage;
  }
  std::unique_ptr<DatabaseTarget> database;
  try {
    database = std::make_unique<DatabaseTarget>(config.database);
  } catch (const std::exception& e) {
    std::cerr << "utxoiq-store: " << e.what() << "\n";
    return kExitEmbeddedFailed;
  }
  obs::log_info("database", {{"target", database->describe()}});
  const auto redis = start_embedded_redis(config);

  if (config.migrate_on_start) {
    if (const int code = apply_migrations(database->url()); code != kExitOk) return code;
  }
  Service service(config, *database, *listen);
  const int code = service.run();
  obs::log_info("stopped", {{"exit_code", code}});
  obs::flush_logs();
  return code;
}

}  // namespace utxoiq::app
