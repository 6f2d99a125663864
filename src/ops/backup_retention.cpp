// GFS retention over the catalogue and both locations (see backup_retention.hpp).
#include "ops/backup_retention.hpp"

#include <map>

#include "ops/backup_catalog.hpp"
#include "ops/backup_engine.hpp"
#include "ops/backup_location.hpp"

namespace utxoiq::ops {

std::vector<std::string> apply_retention(pg::BlockingConnection& catalog,
                                         const BackupSettings& settings, Timestamp now) {
  std::vector<RetainedBackup> points;
  std::map<std::string, BackupRecord> by_id;
  for (auto& record : catalog_list(catalog, false)) {
    if (record.status != "succeeded") continue;
    points.push_back({record.id, record.started_at, record.verify_result == "passed"});
    by_id.emplace(record.id, std::move(record));
  }
  DirectoryLocation primary(settings.backup_dir);
  std::vector<std::string> deleted;
  for (const auto& id : backups_to_delete(points, now, settings.retention)) {
    const BackupRecord& record = by_id.at(id);
    try {
      if (record.mirror_location && !settings.mirror_dir.empty()) {
        DirectoryLocation mirror(settings.mirror_dir);
        mirror.check_exists();
        mirror.remove(*record.file_name);
      }
      primary.remove(*record.file_name);
    } catch (const std::exception& e) {
      throw BackupFailure(kStageRetention, "backup " + id + " not deleted: " + e.what());
    }
    catalog_mark_deleted(catalog, id);
    deleted.push_back(id);
  }
  return deleted;
}

}  // namespace utxoiq::ops
