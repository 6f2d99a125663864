// See retention_audit.hpp; also the retention_runs rows of a run (retention_steps.hpp).
#include "ops/retention_audit.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cassert>

#include "ops/retention_steps.hpp"
#include "pg/blocking_connection.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::ops {

namespace json = boost::json;

json::array policies_json(const RetentionReport& report) {
  json::array policies;
  for (const auto& p : report.policies) {
    json::array archives;
    for (std::size_t i = 0; i < p.archive_uris.size(); ++i) {
      archives.push_back(json::object{{"uri", p.archive_uris[i]}, {"sha256", p.sha256s[i]}});
    }
    json::object o;
    o["table"] = p.table;
    o["cutoff"] = format_rfc3339(p.cutoff);
    o["archived"] = p.archived;
    o["deleted"] = p.deleted;
    o["partitions_dropped"] = p.partitions_dropped;
    o["archive_uri"] = p.archive_uris.empty() ? json::value() : json::value(p.archive_uris[0]);
    o["sha256"] = p.sha256s.empty() ? json::value() : json::value(p.sha256s[0]);
    o["archives"] = std::move(archives);
    policies.push_back(std::move(o));
  }
  return policies;
}

json::object run_json(const RetentionReport& r) {
  return {{"run_id", r.run_id},
          {"dry_run", r.dry_run},
          {"status", r.status},
          {"error", r.error.empty() ? json::value() : json::value(r.error)},
          {"started_at", format_rfc3339(r.started_at)},
          {"finished_at", format_rfc3339(r.finished_at)},
          {"completed_from_interrupted_runs", r.completed_rows},
          {"cold_archives_removed", r.cold_archives_removed},
          {"policies", policies_json(r)}};
}

std::int64_t begin_run_row(pg::BlockingConnection& db, const RetentionOptions& options) {
  const auto result =
      db.exec_params("INSERT INTO retention_runs (dry_run, trigger) VALUES ($1, $2) RETURNING id",
                     {options.dry_run ? "true" : "false", options.trigger});
  return std::stoll(*result.rows.at(0).at(0));
}

void finish_run_row(pg::BlockingConnection& db, const RetentionReport& r) {
  const auto duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(r.finished_at - r.started_at);
  db.exec_params(
      "UPDATE retention_runs SET status = $2, finished_at = $3::timestamptz, duration_ms = $4, "
      "policies = $5::jsonb, error = $6 WHERE id = $1",
      {std::to_string(r.run_id), r.status, format_rfc3339(r.finished_at),
       std::to_string(duration.count()), json::serialize(policies_json(r)),
       r.error.empty() ? std::nullopt : std::optional<std::string>(r.error)});
}

std::string schema_version(pg::BlockingConnection& db) {
  const auto result = db.exec("SELECT max(version)::text FROM schema_migrations");
  return result.rows.at(0).at(0).value_or("0");
}

RetentionRunsPage list_retention_runs(pg::BlockingConnection& db, int limit,
                                      std::optional<std::int64_t> before) {
  assert(limit > 0);
  const auto result = db.exec_params(
      "SELECT id, dry_run, trigger, status, to_char(started_at AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), to_char(finished_at AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), duration_ms, policies::text, error "
      "FROM retention_runs WHERE $1::bigint IS NULL OR id < $1::bigint ORDER BY id DESC LIMIT $2",
      {before ? std::optional<std::string>(std::to_string(*before)) : std::nullopt,
       std::to_string(limit + 1)});
  RetentionRunsPage page;
  for (std::size_t i = 0; i < result.rows.size() && i < static_cast<std::size_t>(limit); ++i) {
    const auto& row = result.rows[i];
    const auto nullable = [](const std::optional<std::string>& v) {
      return v ? json::value(*v) : json::value();
    };
    page.runs.push_back(
        json::object{{"run_id", std::stoll(*row[0])},
                     {"dry_run", *row[1] == "t"},
                     {"trigger", *row[2]},
                     {"status", *row[3]},
                     {"started_at", *row[4]},
                     {"finished_at", nullable(row[5])},
                     {"duration_ms", row[6] ? json::value(std::stoll(*row[6])) : json::value()},
                     {"policies", json::parse(*row[7])},
                     {"error", nullable(row[8])}});
  }
  if (result.rows.size() > static_cast<std::size_t>(limit)) {
    page.next_before = std::stoll(*result.rows[limit - 1][0]);
  }
  return page;
}

}  // namespace utxoiq::ops
