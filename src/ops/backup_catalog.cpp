// SQL of the backups catalogue (see backup_catalog.hpp).
#include "ops/backup_catalog.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cassert>

#include "ops/backup_manifest.hpp"
#include "pg/blocking_connection.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::ops {
namespace {

using Params = std::vector<std::optional<std::string>>;

constexpr const char* kColumns = R"sql(
  id::text, kind, status, started_at::text, finished_at::text, file_name, bytes::text, sha256,
  location, mirror_location, failed_stage, error, verified_at::text, verify_result, verify_error,
  restore_ms::text, deleted_at::text, manifest::text)sql";

std::optional<Timestamp> timestamp_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return parse_pg_timestamptz(*text);
}

std::optional<std::int64_t> int_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return std::stoll(*text);
}

BackupRecord record_of(const std::vector<std::optional<std::string>>& row) {
  BackupRecord r;
  r.id = *row[0];
  r.kind = *row[1];
  r.status = *row[2];
  r.started_at = timestamp_of(row[3]).value_or(Timestamp{});
  r.finished_at = timestamp_of(row[4]);
  r.file_name = row[5];
  r.bytes = int_of(row[6]);
  r.sha256 = row[7];
  r.location = row[8];
  r.mirror_location = row[9];
  r.failed_stage = row[10];
  r.error = row[11];
  r.verified_at = timestamp_of(row[12]);
  r.verify_result = row[13];
  r.verify_error = row[14];
  r.restore_ms = int_of(row[15]);
  r.deleted_at = timestamp_of(row[16]);
  if (row[17]) r.manifest = manifest_from_json(boost::json::parse(*row[17]));
  return r;
}

std::vector<BackupRecord> records_of(const pg::BlockingResult& result) {
  std::vector<BackupRecord> records;
  for (const auto& row : result.rows) records.push_back(record_of(row));
  return records;
}

}  // namespace

void catalog_start(pg::BlockingConnection& c, const BackupRecord& record) {
  c.exec_params(
      "INSERT INTO backups (id, kind, status, started_at) VALUES ($1::uuid, $2, 'running', $3)",
      Params{record.id, record.kind, format_pg_timestamptz(record.started_at)});
}

void catalog_succeed(pg::BlockingConnection& c, const BackupRecord& record,
                     const BackupManifest& manifest) {
  assert(record.file_name && record.location && !manifest.sha256.empty());
  c.exec_params(
      "UPDATE backups SET status = 'succeeded', finished_at = now(), file_name = $2, "
      "bytes = $3::bigint, sha256 = $4, location = $5, mirror_location = $6, "
      "manifest = $7::jsonb WHERE id = $1::uuid",
      Params{record.id, record.file_name, std::to_string(manifest.bytes), manifest.sha256,
             record.location, record.mirror_location,
             boost::json::serialize(manifest_to_json(manifest))});
}

void catalog_fail(pg::BlockingConnection& c, const std::string& id, const std::string& stage,
                  const std::string& error) {
  c.exec_params(
      "UPDATE backups SET status = 'failed', finished_at = now(), failed_stage = $2, error = $3 "
      "WHERE id = $1::uuid",
      Params{id, stage, error});
}

void catalog_fail_interrupted(pg::BlockingConnection& c) {
  c.exec(
      "UPDATE backups SET status = 'failed', finished_at = now(), failed_stage = 'dump', "
      "error = 'interrupted: the process taking it ended' WHERE status = 'running'");
}

void catalog_record_verify(pg::BlockingConnection& c, const std::string& id, bool passed,
                           const std::optional<std::string>& error, std::int64_t restore_ms) {
  c.exec_params(
      "UPDATE backups SET verified_at = now(), verify_result = $2, verify_error = $3, "
      "restore_ms = $4::bigint WHERE id = $1::uuid",
      Params{id, passed ? "passed" : "failed", error, std::to_string(restore_ms)});
}

void catalog_mark_deleted(pg::BlockingConnection& c, const std::string& id) {
  c.exec_params("UPDATE backups SET deleted_at = now() WHERE id = $1::uuid", Params{id});
}

std::vector<BackupRecord> catalog_list(pg::BlockingConnection& c, bool include_deleted) {
  return records_of(c.exec(std::string("SELECT") + kColumns + " FROM backups" +
                           (include_deleted ? "" : " WHERE deleted_at IS NULL") +
                           " ORDER BY started_at DESC, id DESC"));
}

std::optional<BackupRecord> catalog_find(pg::BlockingConnection& c, const std::string& id) {
  const auto result = c.exec_params(
      std::string("SELECT") + kColumns + " FROM backups WHERE id = $1::uuid", Params{id});
  if (result.rows.empty()) return std::nullopt;
  return record_of(result.rows.front());
}

std::optional<BackupRecord> catalog_newest_kept(pg::BlockingConnection& c) {
  const auto result = c.exec(std::string("SELECT") + kColumns +
                             " FROM backups WHERE status = 'succeeded' AND deleted_at IS NULL"
                             " ORDER BY started_at DESC, id DESC LIMIT 1");
  if (result.rows.empty()) return std::nullopt;
  return record_of(result.rows.front());
}

}  // namespace utxoiq::ops
