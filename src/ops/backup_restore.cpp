// Verify and restore (see backup_restore.hpp).
#include "ops/backup_restore.hpp"

#include <cassert>
#include <chrono>
#include <regex>

#include "ops/backup_catalog.hpp"
#include "ops/backup_location.hpp"
#include "ops/backup_lock.hpp"
#include "ops/backup_manifest.hpp"
#include "ops/durable_file.hpp"
#include "ops/pg_tool.hpp"
#include "util/uuid.hpp"

namespace utxoiq::ops {
namespace {

using Params = std::vector<std::optional<std::string>>;

std::string quote_ident(const std::string& name) {
  return "\"" + name + "\"";  // names are checked by valid_database_name first
}

// The backup's file, its SHA-256 checked against the catalogue.
std::string checked_file(const BackupSettings& settings, const BackupRecord& record) {
  if (record.status != "succeeded" || !record.file_name || record.deleted_at) {
    throw BackupNotFound("backup " + record.id + " has no file (status " + record.status +
                         (record.deleted_at ? ", deleted by retention)" : ")"));
  }
  assert(record.manifest && record.sha256);  // a succeeded row has them (backups_succeeded_check)
  const DirectoryLocation primary(settings.backup_dir);
  const auto sha = primary.sha256(*record.file_name);
  if (!sha) throw std::runtime_error("the file " + primary.uri(*record.file_name) + " is missing");
  if (*sha != record.sha256.value_or("")) {
    throw std::runtime_error("the file " + primary.uri(*record.file_name) + " has SHA-256 " + *sha +
                             ", the backup recorded " + record.sha256.value_or("none"));
  }
  return primary.path(*record.file_name).string();
}

// CREATE DATABASE, pg_restore into it, and the summaries of what it holds.
std::vector<TableSummary> restore_into(const BackupSettings& settings, pg::BlockingConnection& c,
                                       const std::string& file, const std::string& database) {
  c.exec("CREATE DATABASE " + quote_ident(database) + " TEMPLATE template0");
  const std::string pg_restore =
      pg_program_path("pg_restore", server_version_num(c), settings.pg_bin_dir);
  run_pg_program(pg_restore,
                 {"--no-owner", "--no-privileges", "--exit-on-error", "--no-password",
                  "--dbname=" + conninfo_without_password(settings.database_url, database), file},
                 settings.database_url);
  pg::BlockingConnection restored(conninfo_with_database(settings.database_url, database));
  return summarise_tables(restored);
}

void drop_database(pg::BlockingConnection& c, const std::string& database) {
  c.exec("DROP DATABASE IF EXISTS " + quote_ident(database) + " WITH (FORCE)");
}

BackupRecord find_record(pg::BlockingConnection& c, const std::optional<std::string>& id) {
  if (!id) {
    auto newest = catalog_newest_kept(c);
    if (!newest) throw BackupNotFound("there is no backup to verify");
    return *newest;
  }
  if (!Uuid::parse(*id)) throw std::invalid_argument("backup id must be a UUID, got '" + *id + "'");
  auto record = catalog_find(c, *id);
  if (!record) throw BackupNotFound("no backup with id " + *id);
  return *record;
}

std::string current_database(pg::BlockingConnection& c) {
  return *c.exec("SELECT current_database()").rows.at(0).at(0);
}

// True when the database exists and holds a relation of its own (outside the system schemas).
bool database_has_tables(const BackupSettings& settings, pg::BlockingConnection& c,
                         const std::string& database) {
  const auto exists =
      c.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", Params{database});
  if (exists.rows.empty()) return false;
  pg::BlockingConnection target(conninfo_with_database(settings.database_url, database));
  const auto relations = target.exec(
      "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
      "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'");
  return *relations.rows.at(0).at(0) != "0";
}

}  // namespace

bool valid_database_name(const std::string& name) {
  static const std::regex pattern("[a-z_][a-z0-9_]{0,62}");
  return std::regex_match(name, pattern);
}

VerifyResult verify_backup(const BackupSettings& settings, const std::optional<std::string>& id) {
  BackupLock lock(settings.database_url);
  auto& c = lock.connection();
  VerifyResult result;
  result.record = find_record(c, id);
  const std::string scratch = "utxoiq_verify_" + new_uuid_v7().to_string().substr(24);
  const auto started = std::chrono::steady_clock::now();
  try {
    const std::string file = checked_file(settings, result.record);
    const auto restored = restore_into(settings, c, file, scratch);
    result.problems = compare_tables(result.record.manifest->tables, restored);
  } catch (const BackupNotFound&) {
    throw;
  } catch (const std::exception& e) {
    result.problems.push_back(e.what());
  }
  result.restore_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  drop_database(c, scratch);
  result.passed = result.problems.empty();
  std::optional<std::string> error;
  if (!result.passed) error = result.problems.front();
  catalog_record_verify(c, result.record.id, result.passed, error, result.restore_ms);
  result.record = *catalog_find(c, result.record.id);
  return result;
}

RestoreResult restore_backup(const BackupSettings& settings, const RestoreRequest& request) {
  if (!valid_database_name(request.target)) {
    throw std::invalid_argument(
        "--target must be a database name of [a-z_][a-z0-9_]* (at most 63 "
        "characters), got '" +
        request.target + "'");
  }
  BackupLock lock(settings.database_url);
  auto& c = lock.connection();
  RestoreResult result;
  result.record = find_record(c, request.id);
  std::string file;
  try {
    file = checked_file(settings, result.record);
  } catch (const BackupNotFound&) {
    throw;
  } catch (const std::exception& e) {
    throw BackupFailure(kStageRestore, e.what());
  }
  if (request.target == current_database(c)) {
    throw BackupFailure(kStageRestore,
                        "refusing to restore over " + request.target +
                            ", the database in use: restore into a new database and point "
                            "DATABASE_URL at it (docs/operations.md)");
  }
  if (database_has_tables(settings, c, request.target)) {
    if (!request.force) {
      throw BackupFailure(
          kStageRestore, "database " + request.target + " is not empty; add --force to replace it");
    }
  }
  drop_database(c, request.target);
  try {
    result.tables = restore_into(settings, c, file, request.target);
  } catch (const std::exception& e) {
    throw BackupFailure(kStageRestore, e.what());
  }
  result.differences = compare_tables(result.record.manifest->tables, result.tables);
  return result;
}

}  // namespace utxoiq::ops
