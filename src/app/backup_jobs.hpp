#pragma once
// The service's side of backups: runs the blocking operations of ops/backup_* on a worker thread
// of their own (never on the event loop), one at a time per process (a second request while one
// runs gets ops::BackupBusy at once, the routes' 409; the advisory lock does the same across
// instances), and turns every failure into the alerts of design.md: an error log line, the
// metrics of backup_metrics.hpp and, when configured, a webhook POST.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/alert_webhook.hpp"
#include "ops/backup_engine.hpp"
#include "ops/backup_restore.hpp"
#include "util/live_url.hpp"
#include "util/task.hpp"

namespace boost::asio {
class io_context;
}

namespace utxoiq::app {

struct BackupJobsOptions {
  ops::BackupSettings settings;
  // The primary's URL when each operation begins; settings.database_url is ignored when set
  // (after a failover backups follow the primary, util/live_url.hpp).
  std::optional<util::LiveUrl> database_url;
  std::function<void(Alert)> alert;  // empty: no webhook
};

class BackupJobs {
 public:
  BackupJobs(boost::asio::io_context& io, BackupJobsOptions options);
  ~BackupJobs();  // waits for an operation in progress
  BackupJobs(const BackupJobs&) = delete;
  BackupJobs& operator=(const BackupJobs&) = delete;

  // Registers the metrics and loads their timestamps from the catalogue. A catalogue that cannot
  // be read is logged; the service starts anyway. On the io thread.
  Task<void> start();
  // A backup now. Throws ops::BackupBusy, ops::BackupFailure (already alerted).
  Task<ops::BackupRunResult> run();
  // A test restore of `id` (the newest when nullopt). Throws ops::BackupBusy,
  // ops::BackupNotFound, std::invalid_argument; a failed verify is alerted and returned.
  Task<ops::VerifyResult> verify(std::optional<std::string> id);
  Task<std::vector<ops::BackupRecord>> list();

  // The same operations, blocking, for a scheduler's worker thread (alerts included).
  ops::BackupRunResult run_blocking();
  ops::VerifyResult verify_blocking(const std::optional<std::string>& id);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace utxoiq::app
