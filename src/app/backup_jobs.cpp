// Backups in the service (see backup_jobs.hpp).
#include "app/backup_jobs.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/backup_metrics.hpp"
#include "obs/logging.hpp"

namespace utxoiq::app {

namespace asio = boost::asio;

namespace {

// Marks an operation in progress in this process for its scope; BackupBusy when one already is.
class BusyGuard {
 public:
  explicit BusyGuard(std::atomic<bool>& flag) : flag_(flag) {
    if (flag_.exchange(true)) throw ops::BackupBusy();
  }
  ~BusyGuard() { flag_ = false; }
  BusyGuard(const BusyGuard&) = delete;
  BusyGuard& operator=(const BusyGuard&) = delete;

 private:
  std::atomic<bool>& flag_;
};

}  // namespace

struct BackupJobs::Impl {
  BackupJobsOptions options;
  asio::thread_pool worker{1};  // backups and verifies, minutes long
  asio::thread_pool reads{1};   // catalogue reads, which must not wait for a backup
  std::atomic<bool> busy{false};

  void alert(const std::string& name, const std::string& severity, const std::string& summary,
             const std::string& stage) {
    if (options.alert) options.alert({name, severity, summary, {{"stage", stage}}});
  }

  void failed(const std::string& stage, const std::string& message) {
    BackupMetrics::get().failed(stage, now_utc());
    obs::log_error("backup failed", {{"stage", stage}, {"error", message}});
    alert(stage == ops::kStageVerify ? "UtxoiqBackupVerifyFailed" : "UtxoiqBackupFailed",
          stage == ops::kStageRetention ? "warning" : "critical",
          "utxoiq-store backup " + stage + " failed: " + message, stage);
  }

  // The settings for an operation beginning now (the primary's URL read once, here).
  ops::BackupSettings settings() const {
    ops::BackupSettings current = options.settings;
    if (options.database_url) current.database_url = options.database_url->get();
    return current;
  }

  ops::BackupRunResult run() {
    try {
      auto result = ops::run_backup(settings());
      BackupMetrics::get().backup_succeeded(result.record.finished_at.value_or(now_utc()));
      obs::log_info("backup taken", {{"id", result.record.id},
                                     {"bytes", result.record.bytes.value_or(0)},
                                     {"deleted", result.deleted.size()}});
      if (result.retention_error) failed(ops::kStageRetention, *result.retention_error);
      return result;
    } catch (const ops::BackupBusy&) {
      throw;
    } catch (const ops::BackupFailure& e) {
      failed(e.stage(), e.what());
      throw;
    } catch (const std::exception& e) {
      failed(ops::kStageDump, e.what());
      throw ops::BackupFailure(ops::kStageDump, e.what());
    }
  }

  ops::VerifyResult verify(const std::optional<std::string>& id) {
    ops::VerifyResult result;
    try {
      result = ops::verify_backup(settings(), id);
    } catch (const ops::BackupBusy&) {
      throw;
    } catch (const ops::BackupNotFound&) {
      throw;
    } catch (const std::invalid_argument&) {
      throw;
    } catch (const std::exception& e) {
      failed(ops::kStageVerify, e.what());
      throw ops::BackupFailure(ops::kStageVerify, e.what());
    }
    if (result.passed) {
      BackupMetrics::get().verify_succeeded(result.record.verified_at.value_or(now_utc()));
      obs::log_info("backup verified",
                    {{"id", result.record.id}, {"restore_ms", result.restore_ms}});
    } else {
      failed(ops::kStageVerify, "backup " + result.record.id + ": " + result.problems.front());
    }
    return result;
  }

  void load_metrics() {
    for (const auto& record : ops::list_backups(settings(), true)) {
      if (record.status == "succeeded" && record.finished_at) {
        BackupMetrics::get().backup_succeeded(*record.finished_at);
      }
      if (record.verify_result == "passed" && record.verified_at) {
        BackupMetrics::get().verify_succeeded(*record.verified_at);
      }
    }
  }

  // Runs `work` on the worker unless an operation is in progress here.
  template <typename Work>
  Task<std::invoke_result_t<Work>> exclusive(Work work) {
    const BusyGuard guard(busy);
    auto job = [work = std::move(work)]() -> Task<std::invoke_result_t<Work>> { co_return work(); };
    co_return co_await asio::co_spawn(worker, std::move(job), asio::use_awaitable);
  }
};

BackupJobs::BackupJobs(asio::io_context&, BackupJobsOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

BackupJobs::~BackupJobs() {
  impl_->worker.join();
  impl_->reads.join();
}

Task<void> BackupJobs::start() {
  BackupMetrics::get();
  Impl& impl = *impl_;
  auto load = [&impl]() -> Task<void> {
    try {
      impl.load_metrics();
    } catch (const std::exception& e) {
      obs::log_warn("backup catalogue not read at start", {{"error", e.what()}});
    }
    co_return;
  };
  co_await asio::co_spawn(impl.reads, std::move(load), asio::use_awaitable);
}

Task<ops::BackupRunResult> BackupJobs::run() {
  Impl& impl = *impl_;
  co_return co_await impl.exclusive([&impl] { return impl.run(); });
}

Task<ops::VerifyResult> BackupJobs::verify(std::optional<std::string> id) {
  Impl& impl = *impl_;
  // A named local, not a temporary of the co_await expression: GCC 12 destroys such temporaries
  // twice (see metrics_maintenance.cpp), and this one owns a string.
  auto work = [&impl, id = std::move(id)] { return impl.verify(id); };
  co_return co_await impl.exclusive(std::move(work));
}

Task<std::vector<ops::BackupRecord>> BackupJobs::list() {
  Impl& impl = *impl_;
  auto job = [&impl]() -> Task<std::vector<ops::BackupRecord>> {
    co_return ops::list_backups(impl.settings());
  };
  co_return co_await asio::co_spawn(impl.reads, std::move(job), asio::use_awaitable);
}

ops::BackupRunResult BackupJobs::run_blocking() {
  const BusyGuard guard(impl_->busy);
  return impl_->run();
}

ops::VerifyResult BackupJobs::verify_blocking(const std::optional<std::string>& id) {
  const BusyGuard guard(impl_->busy);
  return impl_->verify(id);
}

}  // namespace utxoiq::app
