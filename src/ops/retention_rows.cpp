// The row path of retention (see retention.hpp): expired rows in (time, id) order, a chunk at a
// time: archive, verify, delete by key. The next chunk starts after the last key of the previous
// one, so a row that stays (changed after its archive) is not archived twice in one run.
#include <cassert>

#include "ops/archive_format.hpp"
#include "ops/partitions.hpp"
#include "ops/retention_steps.hpp"
#include "pg/blocking_connection.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::ops {

namespace {

std::vector<std::string> texts(const pg::BlockingResult& result) {
  std::vector<std::string> lines;
  lines.reserve(result.rows.size());
  for (const auto& row : result.rows) lines.push_back(*row.at(0));
  return lines;
}

void add(PolicyReport& report, const ArchivedRows& archive, std::int64_t deleted) {
  report.archived += static_cast<std::int64_t>(archive.lines.size());
  report.deleted += deleted;
  report.archive_uris.push_back(archive.uri);
  report.sha256s.push_back(archive.sha256);
}

}  // namespace

void retain_by_rows(RetentionContext& ctx, const RetentionPolicy& policy, Timestamp cutoff,
                    std::int64_t chunk_rows, PolicyReport& report) {
  assert(chunk_rows > 0);
  const std::string sql = "SELECT row_to_json(t)::text FROM " + policy.table + " AS t WHERE " +
                          policy.expired_condition() + " AND ($2::timestamptz IS NULL OR (\"" +
                          policy.time_column +
                          "\", id) > ($2::timestamptz, $3::uuid)) ORDER BY \"" +
                          policy.time_column + "\", id LIMIT " + std::to_string(chunk_rows);
  const std::string cutoff_text = format_rfc3339(cutoff);
  std::optional<std::string> after_time;
  std::optional<std::string> after_id;
  while (true) {
    stop_point(ctx);
    auto lines = texts(ctx.db.exec_params(sql, {cutoff_text, after_time, after_id}));
    if (lines.empty()) break;
    const auto first = row_key(lines.front(), policy.time_column);
    const auto last = row_key(lines.back(), policy.time_column);
    after_time = last.substr(0, last.find(' '));
    after_id = last.substr(last.find(' ') + 1);
    const auto archive =
        archive_rows(ctx, policy, first.substr(0, first.find(' ')), cutoff_text, std::move(lines));
    add(report, archive, delete_rows(ctx, policy, archive));
  }
}

void retain_by_partitions(RetentionContext& ctx, const RetentionPolicy& policy, Timestamp cutoff,
                          PolicyReport& report) {
  for (const auto& partition : list_metric_partitions(ctx.db)) {
    if (partition.is_default || !partition.bound.from || !partition.bound.to ||
        *partition.bound.to > cutoff) {
      continue;
    }
    stop_point(ctx);
    auto lines = texts(ctx.db.exec("SELECT row_to_json(t)::text FROM " + partition.name +
                                   " AS t ORDER BY \"timestamp\", id"));
    std::int64_t deleted = 0;
    if (lines.empty()) {
      ctx.db.exec("ALTER TABLE system_metrics DETACH PARTITION " + partition.name);
      ctx.db.exec("DROP TABLE " + partition.name);
      ++report.partitions_dropped;
      continue;
    }
    const auto archive = archive_rows(ctx, policy, format_rfc3339(*partition.bound.from),
                                      format_rfc3339(*partition.bound.to), std::move(lines));
    ctx.db.exec("BEGIN");
    try {
      ctx.db.exec("SET LOCAL lock_timeout = '5s'");
      ctx.db.exec("ALTER TABLE system_metrics DETACH PARTITION " + partition.name);
      const auto keys = row_keys(policy, archive.lines, 0, archive.lines.size());
      const auto counts = ctx.db.exec_params(
          "SELECT count(*), count(k.id) FROM " + partition.name +
              " AS t LEFT JOIN unnest($1::uuid[], $2::timestamptz[]) AS k (id, v) "
              "ON k.id = t.id AND k.v = t.\"timestamp\"",
          {keys.ids, keys.versions});
      const auto expected = std::to_string(archive.lines.size());
      if (counts.rows.at(0).at(0) == expected && counts.rows.at(0).at(1) == expected) {
        ctx.db.exec("DROP TABLE " + partition.name);
        ctx.db.exec_params(
            "UPDATE retention_archives SET deleted_rows = $2, state = 'deleted', "
            "deleted_at = now() WHERE id = $1",
            {std::to_string(archive.archive_id), expected});
        ctx.db.exec("COMMIT");
        deleted = static_cast<std::int64_t>(archive.lines.size());
        ++report.partitions_dropped;
      } else {
        ctx.db.exec("ROLLBACK");  // rows came or went after the archive: by rows instead
        deleted = delete_rows(ctx, policy, archive);
      }
    } catch (...) {
      if (ctx.db.is_ok() && ctx.db.in_transaction()) ctx.db.exec("ROLLBACK");
      throw;
    }
    add(report, archive, deleted);
  }
}

void count_expired(pg::BlockingConnection& db, const RetentionPolicy& policy, Timestamp cutoff,
                   PolicyReport& report) {
  const auto count = db.exec_params(
      "SELECT count(*) FROM " + policy.table + " WHERE " + policy.expired_condition(),
      {format_rfc3339(cutoff)});
  report.archived = std::stoll(*count.rows.at(0).at(0));
  report.deleted = report.archived;
  if (policy.table != "system_metrics") return;
  for (const auto& partition : list_metric_partitions(db)) {
    if (!partition.is_default && partition.bound.to && *partition.bound.to <= cutoff) {
      ++report.partitions_dropped;
    }
  }
}

}  // namespace utxoiq::ops
