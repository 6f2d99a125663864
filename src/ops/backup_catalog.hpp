#pragma once
// The `backups` table (migration 0005): one row per backup attempt, the record that the API lists,
// verification and retention read, and that survives the files (deleted_at). Blocking.
#include <optional>
#include <string>
#include <vector>

#include "ops/backup_types.hpp"

namespace utxoiq::pg {
class BlockingConnection;
}

namespace utxoiq::ops {

// Inserts the row of a backup that starts now (status running).
void catalog_start(pg::BlockingConnection& c, const BackupRecord& record);
// Marks a running row succeeded with its file, locations and manifest.
void catalog_succeed(pg::BlockingConnection& c, const BackupRecord& record,
                     const BackupManifest& manifest);
void catalog_fail(pg::BlockingConnection& c, const std::string& id, const std::string& stage,
                  const std::string& error);
// Rows left `running` by a process that died: failed, stage "dump", error "interrupted". Call it
// only while holding the backup lock.
void catalog_fail_interrupted(pg::BlockingConnection& c);
void catalog_record_verify(pg::BlockingConnection& c, const std::string& id, bool passed,
                           const std::optional<std::string>& error, std::int64_t restore_ms);
void catalog_mark_deleted(pg::BlockingConnection& c, const std::string& id);

// Every row, newest first; deleted ones only when asked.
std::vector<BackupRecord> catalog_list(pg::BlockingConnection& c, bool include_deleted);
std::optional<BackupRecord> catalog_find(pg::BlockingConnection& c, const std::string& id);
// The newest succeeded backup whose files are kept.
std::optional<BackupRecord> catalog_newest_kept(pg::BlockingConnection& c);

}  // namespace utxoiq::ops
