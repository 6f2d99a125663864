// The backup metrics of backup_metrics.hpp, on obs::default_registry().
#include "app/backup_metrics.hpp"

#include "obs/metrics.hpp"
#include "ops/backup_types.hpp"

namespace utxoiq::app {
namespace {

constexpr const char* kStages[] = {ops::kStageDump, ops::kStageMirror, ops::kStageRetention,
                                   ops::kStageVerify};

double seconds_of(Timestamp at) {
  return static_cast<double>(to_unix_micros(at)) / 1e6;
}

obs::Gauge& last_success() {
  static obs::Gauge& gauge =
      obs::default_registry()
          .gauge("utxoiq_backup_last_success_timestamp_seconds",
                 "Unix time the newest successful backup finished (0: none yet)")
          .get();
  return gauge;
}

obs::Gauge& verify_last_success() {
  static obs::Gauge& gauge =
      obs::default_registry()
          .gauge("utxoiq_backup_verify_last_success_timestamp_seconds",
                 "Unix time the newest passed test restore of a backup was recorded (0: none yet)")
          .get();
  return gauge;
}

obs::Family<obs::Counter>& failures() {
  static auto& family = obs::default_registry().counter(
      "utxoiq_backup_failures_total", "Failed backup operations, by stage", {"stage"});
  return family;
}

obs::Family<obs::Gauge>& last_failure() {
  static auto& family =
      obs::default_registry().gauge("utxoiq_backup_last_failure_timestamp_seconds",
                                    "Unix time a backup stage last failed (0: never)", {"stage"});
  return family;
}

}  // namespace

BackupMetrics::BackupMetrics() {
  last_success();
  verify_last_success();
  for (const char* stage : kStages) {
    failures().labels({stage});
    last_failure().labels({stage});
  }
}

BackupMetrics& BackupMetrics::get() {
  static BackupMetrics metrics;
  return metrics;
}

void BackupMetrics::backup_succeeded(Timestamp at) {
  if (seconds_of(at) > last_success().value()) last_success().set(seconds_of(at));
}

void BackupMetrics::verify_succeeded(Timestamp at) {
  if (seconds_of(at) > verify_last_success().value()) verify_last_success().set(seconds_of(at));
}

void BackupMetrics::failed(const std::string& stage, Timestamp at) {
  failures().labels({stage}).inc();
  last_failure().labels({stage}).set(seconds_of(at));
}

}  // namespace utxoiq::app
