#pragma once
// Plain results of the migration operations, for the CLI to print (ops itself prints nothing).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace utxoiq::ops {

// One row of schema_migrations.
struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string checksum;
  std::string applied_at;  // RFC 3339, UTC: "2026-11-22T01:00:00.000000Z"
  std::int64_t execution_ms = 0;
};

// One migration applied (up) or rolled back (down) by a run.
struct MigrationStep {
  int version = 0;
  std::string name;
  std::int64_t execution_ms = 0;
};

struct MigrationReport {
  int version_before = 0;  // highest applied version before the run, 0 for none
  int version_after = 0;
  std::vector<MigrationStep> steps;  // in the order they ran; empty when there was nothing to do
};

// One migration of the binary's set, as the database sees it.
struct MigrationStatusEntry {
  int version = 0;
  std::string name;
  bool applied = false;
  std::optional<std::string> applied_at;     // set when applied (RFC 3339, UTC)
  std::optional<std::int64_t> execution_ms;  // set when applied
  bool checksum_ok = true;  // false only for an applied migration whose file changed since
};

struct MigrationStatusReport {
  int current_version = 0;                        // highest applied version, 0 for none
  std::vector<MigrationStatusEntry> migrations;   // every migration of the set, in version order
  std::vector<AppliedMigration> unknown_applied;  // applied versions the set does not have
  int pending_count() const {
    int pending = 0;
    for (const auto& entry : migrations) pending += entry.applied ? 0 : 1;
    return pending;
  }
};

enum class VerifyProblem {
  kChecksumMismatch,  // the file of an applied migration changed after it was applied
  kMissingFile,       // an applied version the binary's set does not have
};

struct VerifyIssue {
  VerifyProblem problem = VerifyProblem::kChecksumMismatch;
  int version = 0;
  std::string name;               // as recorded in schema_migrations
  std::string recorded_checksum;  // as recorded in schema_migrations
  std::string file_checksum;      // empty for kMissingFile
};

// What `migrate create` wrote.
struct CreatedMigration {
  int version = 0;
  std::string name;
  std::string created_at;  // the UTC timestamp written into both headers, "2026-11-22T01:00:00Z"
  std::filesystem::path up_path;
  std::filesystem::path down_path;
};

}  // namespace utxoiq::ops
