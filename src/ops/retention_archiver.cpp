// See retention_archiver.hpp.
#include "ops/retention_archiver.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cassert>

#include "ops/archive_format.hpp"
#include "ops/archive_sink.hpp"
#include "ops/retention.hpp"
#include "pg/blocking_connection.hpp"
#include "util/sha256.hpp"

namespace utxoiq::ops {

namespace {

void stage(RetentionContext& ctx, std::string_view name, const std::string& data_name) {
  if (ctx.on_stage) ctx.on_stage(name, data_name);
}

std::string quoted(std::string_view text) {
  assert(text.find('"') == std::string_view::npos && text.find('\\') == std::string_view::npos);
  return "\"" + std::string(text) + "\"";
}

void mark_failed(RetentionContext& ctx, std::int64_t archive_id, const std::string& data_name) {
  ctx.sink.remove(data_name);
  ctx.sink.remove(manifest_name(data_name));
  ctx.db.exec_params("UPDATE retention_archives SET state = 'failed' WHERE id = $1",
                     {std::to_string(archive_id)});
}

}  // namespace

void stop_point(const RetentionContext& ctx) {
  if (ctx.should_stop && ctx.should_stop()) throw RetentionStopped();
}

std::string manifest_name(const std::string& data_name) {
  const auto dot = data_name.find(".jsonl.zst");
  assert(dot != std::string::npos);
  return data_name.substr(0, dot) + ".manifest.json";
}

RowKeys row_keys(const RetentionPolicy& policy, const std::vector<std::string>& lines,
                 std::size_t from, std::size_t to) {
  RowKeys keys{"{", "{"};
  for (std::size_t i = from; i < to; ++i) {
    const auto row = boost::json::parse(lines[i]);
    const auto& o = row.as_object();
    if (i > from) {
      keys.ids += ',';
      keys.versions += ',';
    }
    keys.ids += quoted(o.at("id").as_string());
    keys.versions += quoted(o.at(policy.version_column).as_string());
  }
  keys.ids += '}';
  keys.versions += '}';
  return keys;
}

ArchivedRows archive_rows(RetentionContext& ctx, const RetentionPolicy& policy,
                          const std::string& range_from, const std::string& range_to,
                          std::vector<std::string> lines) {
  assert(!lines.empty());
  const auto inserted = ctx.db.exec_params(
      "INSERT INTO retention_archives (run_id, table_name, cutoff, archive_uri) "
      "VALUES ($1, $2, $3::timestamptz, '') RETURNING id",
      {std::to_string(ctx.run_id), policy.table, range_to});
  const auto archive_id = std::stoll(*inserted.rows.at(0).at(0));
  const std::string data_name = policy.table + "/" + std::to_string(archive_id) + ".jsonl.zst";
  ArchivedRows archive{archive_id, data_name, ctx.sink.uri(data_name), "", {}};
  ctx.db.exec_params("UPDATE retention_archives SET archive_uri = $2 WHERE id = $1",
                     {std::to_string(archive_id), archive.uri});
  try {
    const std::string bytes = compress_lines(lines);
    ArchiveManifest manifest{policy.table,
                             range_from,
                             range_to,
                             static_cast<std::int64_t>(lines.size()),
                             row_key(lines.front(), policy.time_column),
                             row_key(lines.back(), policy.time_column),
                             ctx.schema_version,
                             sha256_hex(bytes),
                             data_name.substr(data_name.rfind('/') + 1)};
    ctx.sink.put(data_name, bytes);
    ctx.sink.put(manifest_name(data_name), manifest_json(manifest));
    lines.clear();
    stage(ctx, "written", data_name);
    archive = read_back(ctx, policy, archive_id, data_name);
  } catch (...) {
    mark_failed(ctx, archive_id, data_name);
    throw;
  }
  ctx.db.exec_params(
      "UPDATE retention_archives SET state = 'verified', sha256 = $2, row_count = $3 WHERE id = $1",
      {std::to_string(archive_id), archive.sha256, std::to_string(archive.lines.size())});
  stage(ctx, "verified", data_name);
  return archive;
}

ArchivedRows read_back(RetentionContext& ctx, const RetentionPolicy& policy,
                       std::int64_t archive_id, const std::string& data_name) {
  const auto manifest = parse_manifest(ctx.sink.get(manifest_name(data_name)));
  if (manifest.table != policy.table) {
    throw ArchiveCorrupt("archive of " + manifest.table + " where " + policy.table + " expected");
  }
  auto lines = check_archive(ctx.sink.get(data_name), manifest, policy.time_column);
  return {archive_id, data_name, ctx.sink.uri(data_name), manifest.sha256, std::move(lines)};
}

std::int64_t delete_rows(RetentionContext& ctx, const RetentionPolicy& policy,
                         const ArchivedRows& archive) {
  assert(ctx.delete_batch > 0);
  const std::string sql = "DELETE FROM " + policy.table +
                          " AS t USING unnest($1::uuid[], $2::timestamptz[]) AS k (id, v) "
                          "WHERE t.id = k.id AND t.\"" +
                          policy.version_column + "\" = k.v" +
                          (policy.filter.empty() ? "" : " AND t." + policy.filter);
  std::int64_t deleted = 0;
  const auto batch = static_cast<std::size_t>(ctx.delete_batch);
  for (std::size_t from = 0; from < archive.lines.size(); from += batch) {
    const auto to = std::min(archive.lines.size(), from + batch);
    const auto keys = row_keys(policy, archive.lines, from, to);
    ctx.db.exec("BEGIN");
    try {
      const auto n = ctx.db.exec_params(sql, {keys.ids, keys.versions}).affected_rows;
      ctx.db.exec_params(
          "UPDATE retention_archives SET deleted_rows = deleted_rows + $2 WHERE id = $1",
          {std::to_string(archive.archive_id), std::to_string(n)});
      ctx.db.exec("COMMIT");
      deleted += n;
    } catch (...) {
      if (ctx.db.is_ok() && ctx.db.in_transaction()) ctx.db.exec("ROLLBACK");
      throw;
    }
    stage(ctx, "deleted_batch", archive.data_name);
  }
  ctx.db.exec_params(
      "UPDATE retention_archives SET state = 'deleted', deleted_at = now() WHERE id = $1",
      {std::to_string(archive.archive_id)});
  return deleted;
}

}  // namespace utxoiq::ops
