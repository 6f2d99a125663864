#pragma once
// The values the backup operations pass around: a table's summary (what proves a restore equal),
// the manifest taken in the dump's snapshot, a row of the `backups` catalogue, and the failures.
// A failure names its stage, because alerts and metrics count failures per stage.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/time.hpp"

namespace utxoiq::ops {

// One table's content in a snapshot: its row count and an order-free checksum of its rows.
struct TableSummary {
  std::string table;
  std::int64_t rows = 0;
  std::string checksum;
  bool operator==(const TableSummary&) const = default;
};

struct BackupManifest {
  std::vector<TableSummary> tables;  // in table name order
  std::string server_version;        // SHOW server_version of the dumped server
  int schema_version = 0;            // the highest applied migration
  std::string sha256;                // of the dump file
  std::int64_t bytes = 0;            // size of the dump file
};

// A row of `backups`.
struct BackupRecord {
  std::string id;
  std::string kind;    // daily | weekly (taken on a Sunday, UTC)
  std::string status;  // running | succeeded | failed
  Timestamp started_at{};
  std::optional<Timestamp> finished_at;
  std::optional<std::string> file_name;
  std::optional<std::int64_t> bytes;
  std::optional<std::string> sha256;
  std::optional<std::string> location;         // URI of the primary copy
  std::optional<std::string> mirror_location;  // URI of the second copy
  std::optional<std::string> failed_stage;
  std::optional<std::string> error;
  std::optional<Timestamp> verified_at;
  std::optional<std::string> verify_result;  // passed | failed
  std::optional<std::string> verify_error;
  std::optional<std::int64_t> restore_ms;
  std::optional<Timestamp> deleted_at;
  std::optional<BackupManifest> manifest;
};

// Stages, as the label of utxoiq_backup_failures_total.
inline constexpr const char* kStageDump = "dump";
inline constexpr const char* kStageMirror = "mirror";
inline constexpr const char* kStageRetention = "retention";
inline constexpr const char* kStageVerify = "verify";
inline constexpr const char* kStageRestore = "restore";

class BackupFailure : public std::runtime_error {
 public:
  BackupFailure(std::string stage, const std::string& message)
      : std::runtime_error(message), stage_(std::move(stage)) {}
  const std::string& stage() const noexcept { return stage_; }

 private:
  std::string stage_;
};

// Another backup, verify or restore holds the lock (this process or another instance).
class BackupBusy : public std::runtime_error {
 public:
  BackupBusy() : std::runtime_error("a backup, verify or restore is already running") {}
};

// No backup with the id asked for (or none at all to verify).
class BackupNotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace utxoiq::ops
