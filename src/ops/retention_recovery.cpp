// Completing what an earlier retention run left unfinished, and removing cold archives (see
// retention.hpp). Both read retention_archives, the record of every archive's state.
#include <cassert>
#include <exception>

#include "obs/logging.hpp"
#include "ops/archive_sink.hpp"
#include "ops/retention_steps.hpp"
#include "pg/blocking_connection.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::ops {

namespace {

const RetentionPolicy& policy_of(const std::vector<RetentionPolicy>& policies,
                                 const std::string& table) {
  for (const auto& policy : policies) {
    if (policy.table == table) return policy;
  }
  throw std::runtime_error("retention_archives names an unknown table " + table);
}

std::string data_name_of(const std::string& table, const std::string& id) {
  return table + "/" + id + ".jsonl.zst";
}

}  // namespace

std::int64_t complete_unfinished(RetentionContext& ctx, const RetentionPeriods& periods) {
  const auto policies = retention_policies(periods);
  const auto unfinished = ctx.db.exec(
      "SELECT id, table_name, state FROM retention_archives WHERE state IN ('written', "
      "'verified') ORDER BY id");
  std::int64_t deleted = 0;
  for (const auto& row : unfinished.rows) {
    const std::string id = *row.at(0);
    const auto& policy = policy_of(policies, *row.at(1));
    const std::string data_name = data_name_of(policy.table, id);
    if (*row.at(2) == "written") {  // never proven: its rows are all still in the table
      ctx.sink.remove(data_name);
      ctx.sink.remove(manifest_name(data_name));
      ctx.db.exec_params("UPDATE retention_archives SET state = 'failed' WHERE id = $1", {id});
      obs::log_warn("unverified archive of an interrupted retention run removed",
                    {{"archive_id", id}, {"table", policy.table}});
      continue;
    }
    const auto archive = read_back(ctx, policy, std::stoll(id), data_name);
    const auto n = delete_rows(ctx, policy, archive);
    deleted += n;
    obs::log_info("interrupted retention run completed",
                  {{"archive_id", id}, {"table", policy.table}, {"deleted", n}});
  }
  ctx.db.exec_params(
      "UPDATE retention_runs SET status = 'failed', finished_at = now(), error = 'interrupted; "
      "completed by run ' || $1 WHERE status = 'running' AND id <> $1::bigint",
      {std::to_string(ctx.run_id)});
  return deleted;
}

std::int64_t remove_cold_archives(RetentionContext& ctx, const RetentionPeriods& periods,
                                  Timestamp now) {
  const Timestamp before = now - std::chrono::days{periods.metrics_cold_days};
  const auto cold = ctx.db.exec_params(
      "SELECT id FROM retention_archives WHERE table_name = 'system_metrics' AND state = "
      "'deleted' AND created_at < $1::timestamptz ORDER BY id",
      {format_rfc3339(before)});
  for (const auto& row : cold.rows) {
    const std::string id = *row.at(0);
    const std::string data_name = data_name_of("system_metrics", id);
    ctx.sink.remove(data_name);
    ctx.sink.remove(manifest_name(data_name));
    ctx.db.exec_params(
        "UPDATE retention_archives SET state = 'removed', removed_at = now() WHERE id = $1", {id});
    obs::log_info("cold metric archive removed",
                  {{"archive_id", id}, {"uri", ctx.sink.uri(data_name)}});
  }
  return static_cast<std::int64_t>(cold.rows.size());
}

}  // namespace utxoiq::ops
