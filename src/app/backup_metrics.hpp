#pragma once
// The backup metrics the alert rules of deploy/prometheus/backup_rules.yml read, registered when
// the service starts (so a rule never sees an absent series):
//   utxoiq_backup_last_success_timestamp_seconds         end of the newest successful backup
//   utxoiq_backup_verify_last_success_timestamp_seconds  end of the newest passed test restore
//   utxoiq_backup_failures_total{stage}                  failures: dump, mirror, retention, verify
//   utxoiq_backup_last_failure_timestamp_seconds{stage}  when the stage last failed
// The timestamps are 0 until the first success; at start they are loaded from the catalogue, so a
// restart does not make a recent backup look missing.
#include <string>

#include "util/time.hpp"

namespace utxoiq::app {

class BackupMetrics {
 public:
  // The metrics of the default registry; registers them on first use.
  static BackupMetrics& get();

  void backup_succeeded(Timestamp at);
  void verify_succeeded(Timestamp at);
  void failed(const std::string& stage, Timestamp at);

 private:
  BackupMetrics();
};

}  // namespace utxoiq::app
