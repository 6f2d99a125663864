#pragma once
// Retention inside the running service: the daily job the scheduler runs (on the scheduler's
// thread) and the runs and audit reads of the HTTP routes (on a worker thread of this object's
// own, so the blocking work never runs on the event loop). Runs from anywhere exclude each other
// through retention's advisory lock (a second one gets RetentionBusy: 409 over HTTP).
#include <memory>
#include <string>

#include "api/retention_routes.hpp"
#include "app/config.hpp"
#include "ops/scheduler.hpp"
#include "util/live_url.hpp"

namespace boost::asio {
class io_context;
}

namespace utxoiq::app {

class RetentionService {
 public:
  RetentionService(util::LiveUrl database_url, const ServeConfig& config);
  ~RetentionService();  // joins the worker thread
  RetentionService(const RetentionService&) = delete;
  RetentionService& operator=(const RetentionService&) = delete;

  // The daily job: at --retention-time, after the backup job when there is one. It throws when
  // the run failed, so the scheduler records the error.
  // `stop_requested`: polled between archives (the scheduler's, so a shutdown does not wait for
  // the whole run).
  ops::DailyJob daily_job(std::function<bool()> stop_requested = {});
  // Loads the metrics' timestamps from the audit trail, on the worker thread (a failure is
  // logged; the metrics then stay at 0 until the next run).
  void start();
  api::RetentionRoutesDeps routes();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace utxoiq::app
