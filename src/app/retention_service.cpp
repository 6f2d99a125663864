// See retention_service.hpp.
#include "app/retention_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value_from.hpp>

#include "app/retention_options.hpp"
#include "obs/logging.hpp"
#include "ops/directory_archive_sink.hpp"
#include "ops/retention.hpp"
#include "ops/retention_audit.hpp"
#include "ops/retention_metrics.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::app {

namespace asio = boost::asio;

struct RetentionService::Impl {
  util::LiveUrl database_url;
  RetentionSettings settings;
  std::filesystem::path archive_dir;
  asio::thread_pool worker{1};

  ops::RetentionReport run(bool dry_run, const std::string& trigger,
                           std::function<bool()> should_stop = {}) const {
    ops::DirectoryArchiveSink sink(archive_dir);
    ops::RetentionOptions options;
    options.periods = retention_periods(settings);
    options.dry_run = dry_run;
    options.trigger = trigger;
    options.should_stop = std::move(should_stop);
    return ops::run_retention(database_url.get(), sink, options);
  }

  boost::json::object list(int limit, std::optional<std::int64_t> before) const {
    pg::BlockingConnection db(database_url.get());
    auto page = ops::list_retention_runs(db, limit, before);
    boost::json::value next;
    if (page.next_before) next = std::to_string(*page.next_before);
    return {{"runs", std::move(page.runs)}, {"next_cursor", std::move(next)}};
  }
};

RetentionService::RetentionService(util::LiveUrl database_url, const ServeConfig& config)
    : impl_(std::make_unique<Impl>()) {
  impl_->database_url = std::move(database_url);
  impl_->settings = config.retention;
  impl_->archive_dir = archive_dir(config.retention, config.database);
  ops::register_retention_metrics();
}

RetentionService::~RetentionService() {
  impl_->worker.join();
}

void RetentionService::start() {
  asio::post(impl_->worker, [impl = impl_.get()] {
    try {
      pg::BlockingConnection db(impl->database_url.get());
      ops::prime_retention_metrics(db);
    } catch (const std::exception& e) {
      obs::log_warn("retention metrics not loaded from retention_runs", {{"error", e.what()}});
    }
  });
}

ops::DailyJob RetentionService::daily_job(std::function<bool()> stop_requested) {
  const auto time = ops::parse_time_of_day(impl_->settings.time);
  assert(time.has_value());
  return {"retention", *time, {"backup"}, [impl = impl_.get(), stop_requested] {
            const auto report = impl->run(false, "schedule", stop_requested);
            if (report.status != "succeeded") throw std::runtime_error(report.error);
          }};
}

api::RetentionRoutesDeps RetentionService::routes() {
  Impl* impl = impl_.get();
  return {
      .run = [impl](bool dry_run) -> Task<boost::json::object> {
        // A named local, not a temporary of the co_await expression (GCC 12 destroys those twice).
        auto work = [impl, dry_run]() -> Task<boost::json::object> {
          co_return ops::run_json(impl->run(dry_run, "api"));
        };
        co_return co_await asio::co_spawn(impl->worker, std::move(work), asio::use_awaitable);
      },
      .list = [impl](int limit, std::optional<std::int64_t> before) -> Task<boost::json::object> {
        auto work = [impl, limit, before]() -> Task<boost::json::object> {
          co_return impl->list(limit, before);
        };
        co_return co_await asio::co_spawn(impl->worker, std::move(work), asio::use_awaitable);
      }};
}

}  // namespace utxoiq::app
