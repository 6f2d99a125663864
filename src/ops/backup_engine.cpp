// The backup run of backup_engine.hpp: snapshot, manifest, pg_dump, durable file, mirror copy,
// catalogue, retention.
#include "ops/backup_engine.hpp"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

#include "ops/backup_catalog.hpp"
#include "ops/backup_location.hpp"
#include "ops/backup_lock.hpp"
#include "ops/backup_manifest.hpp"
#include "ops/backup_retention.hpp"
#include "ops/durable_file.hpp"
#include "ops/pg_tool.hpp"
#include "util/uuid.hpp"

namespace utxoiq::ops {
namespace {

namespace fs = std::filesystem;

// "utxoiq-20261202T010000Z-<uuid>.dump": sorts by time in a listing, unique by id.
std::string file_name_for(const BackupRecord& record) {
  const std::time_t seconds = to_unix_micros(record.started_at) / 1'000'000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return std::string("utxoiq-") + stamp + "-" + record.id + ".dump";
}

// Steps 2 and 3: the manifest and the dump of one snapshot, the file durably at `target`.
BackupManifest dump_snapshot(const BackupSettings& settings, const fs::path& target) {
  pg::BlockingConnection snapshot(settings.database_url);
  snapshot.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  const std::string snapshot_id = *snapshot.exec("SELECT pg_export_snapshot()").rows.at(0).at(0);
  BackupManifest manifest = take_manifest(snapshot);
  const std::string pg_dump =
      pg_program_path("pg_dump", server_version_num(snapshot), settings.pg_bin_dir);
  const fs::path partial = partial_path(target);
  try {
    run_pg_program(pg_dump,
                   {"--format=custom", "--snapshot=" + snapshot_id, "--no-password",
                    "--file=" + partial.string(),
                    "--dbname=" + conninfo_without_password(settings.database_url)},
                   settings.database_url);
    snapshot.exec("COMMIT");
    fsync_path(partial);
    manifest.sha256 = sha256_of_file(partial);
    manifest.bytes = static_cast<std::int64_t>(fs::file_size(partial));
    durable_rename(partial, target);
  } catch (...) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
  return manifest;
}

// Step 4: the second copy, read back and compared.
void copy_to_mirror(BackupLocation& mirror, const fs::path& source, const std::string& name,
                    const std::string& sha256) {
  mirror.store(source, name);
  const auto copied = mirror.sha256(name);
  if (!copied)
    throw std::runtime_error("the copy " + mirror.uri(name) + " is missing after the copy");
  if (*copied != sha256) {
    throw std::runtime_error("the copy " + mirror.uri(name) + " has SHA-256 " + *copied +
                             ", the backup " + sha256);
  }
}

void remove_quietly(BackupLocation& location, const std::string& name) {
  try {
    location.remove(name);
  } catch (const std::exception&) {
    // The backup has failed already; a leftover file is named in no catalogue row and harmless.
  }
}

// Steps 2-4 for a started row; fills the record's file and locations.
BackupManifest take_files(const BackupSettings& settings, BackupRecord& record) {
  DirectoryLocation primary(settings.backup_dir);
  std::unique_ptr<DirectoryLocation> mirror;
  if (!settings.mirror_dir.empty())
    mirror = std::make_unique<DirectoryLocation>(settings.mirror_dir);
  const std::string name = file_name_for(record);
  BackupManifest manifest;
  try {
    fs::create_directories(primary.dir());
    manifest = dump_snapshot(settings, primary.path(name));
  } catch (const std::exception& e) {
    throw BackupFailure(kStageDump, e.what());
  }
  record.file_name = name;
  record.location = primary.uri(name);
  if (mirror) {
    try {
      copy_to_mirror(*mirror, primary.path(name), name, manifest.sha256);
    } catch (const std::exception& e) {
      remove_quietly(*mirror, name);
      remove_quietly(primary, name);
      throw BackupFailure(kStageMirror,
                          "second copy in " + mirror->dir().string() + " failed: " + e.what());
    }
    record.mirror_location = mirror->uri(name);
  }
  return manifest;
}

}  // namespace

std::string backup_kind(Timestamp started_at) {
  // Day 0 (1970-01-01) was a Thursday; Sunday is 3 days later.
  const long long weekday = ((utc_day_number(started_at) - 3) % 7 + 7) % 7;  // 0: Sunday
  return weekday == 0 ? "weekly" : "daily";
}

BackupRunResult run_backup(const BackupSettings& settings, Timestamp now) {
  BackupLock lock(settings.database_url);
  auto& catalog = lock.connection();
  catalog_fail_interrupted(catalog);
  BackupRunResult result;
  BackupRecord& record = result.record;
  record.id = new_uuid_v7().to_string();
  record.kind = backup_kind(now);
  record.status = "running";
  record.started_at = now;
  catalog_start(catalog, record);
  try {
    const BackupManifest manifest = take_files(settings, record);
    catalog_succeed(catalog, record, manifest);
  } catch (const BackupFailure& failure) {
    catalog_fail(catalog, record.id, failure.stage(), failure.what());
    throw;
  }
  record = *catalog_find(catalog, record.id);
  try {
    result.deleted = apply_retention(catalog, settings, now);
  } catch (const std::exception& e) {
    result.retention_error = e.what();
  }
  return result;
}

std::vector<BackupRecord> list_backups(const BackupSettings& settings, bool include_deleted) {
  pg::BlockingConnection connection(settings.database_url);
  return catalog_list(connection, include_deleted);
}

}  // namespace utxoiq::ops
