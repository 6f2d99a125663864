// See internal/progress_batch.hpp.
#include "store/internal/progress_batch.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <string>

#include "domain/backfill_rules.hpp"
#include "store/internal/backfill_rows.hpp"
#include "store/internal/sql_values.hpp"

namespace utxoiq::store::detail {

namespace {

const std::string kLockSql =
    "SELECT " + std::string(kBackfillColumns) +
    " FROM backfill_jobs WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE";

// last_progress_at is kept for operators (when did the worker last report?): a progress report
// sets it, the other changes leave it; the API's `stale` follows the domain rule on updated_at.
constexpr std::string_view kUpdateSql =
    "UPDATE backfill_jobs AS j SET current_block = u.current_block, "
    "progress_percentage = u.progress_percentage, estimated_completion = u.estimated_completion, "
    "updated_at = u.updated_at, last_progress_at = u.updated_at, version = u.version "
    "FROM unnest($1::uuid[], $2::bigint[], $3::float8[], $4::timestamptz[], $5::timestamptz[], "
    "$6::bigint[]) AS u (id, current_block, progress_percentage, estimated_completion, "
    "updated_at, version) WHERE j.id = u.id";

}  // namespace

ProgressBatchOutcome apply_progress_batch(std::span<const domain::BackfillJob> locked,
                                          std::span<const domain::ProgressUpdate> reports,
                                          Timestamp now) {
  std::map<Uuid, domain::BackfillJob> jobs;  // each job as the reports so far left it
  for (const auto& job : locked) jobs.emplace(job.id, job);
  assert(jobs.size() == locked.size() && "each job locked once");
  ProgressBatchOutcome outcome;
  outcome.answers.reserve(reports.size());
  for (const auto& report : reports) {
    const auto found = jobs.find(report.job_id);
    if (found == jobs.end()) {
      JobWrite missing;
      missing.outcome = JobWrite::Outcome::not_found;
      outcome.answers.push_back(std::move(missing));
      continue;
    }
    domain::BackfillJob& job = found->second;
    JobWrite change = domain::apply_progress(job, report, std::max(now, job.updated_at));
    if (change.outcome == JobWrite::Outcome::applied) {
      assert(change.job.id == job.id && change.job.version == job.version + 1);
      job = change.job;
    }
    outcome.answers.push_back(std::move(change));
  }
  for (const auto& stored : locked) {
    const domain::BackfillJob& job = jobs.at(stored.id);
    if (job.version != stored.version) outcome.changed.push_back(job);
  }
  std::sort(outcome.changed.begin(), outcome.changed.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return outcome;
}

const pg::TaggedSql& progress_lock_statement() {
  static const pg::TaggedSql statement{{"backfill_jobs", "progress", pg::StatementAccess::write},
                                       kLockSql};
  return statement;
}

pg::Params progress_lock_params(std::span<const domain::ProgressUpdate> reports) {
  std::vector<Uuid> ids;
  ids.reserve(reports.size());
  for (const auto& report : reports) ids.push_back(report.job_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::string> texts;
  texts.reserve(ids.size());
  for (const auto& id : ids) texts.push_back(id.to_string());
  return pg::params(texts);
}

const pg::TaggedSql& progress_update_statement() {
  static const pg::TaggedSql statement{{"backfill_jobs", "progress", pg::StatementAccess::write},
                                       kUpdateSql};
  return statement;
}

pg::Statement progress_update(std::span<const domain::BackfillJob> changed) {
  assert(!changed.empty());
  std::vector<pg::Param> ids, blocks, percentages, estimates, times, versions;
  for (const auto& job : changed) {
    assert(job.status == domain::BackfillStatus::running && "progress only while running");
    ids.push_back(sql_uuid(job.id));
    blocks.push_back(pg::to_param(job.current_block));
    percentages.push_back(pg::to_param(job.progress_percentage));
    estimates.push_back(sql_time(job.estimated_completion));
    times.push_back(sql_time(job.updated_at));
    versions.push_back(pg::to_param(job.version));
  }
  const auto& statement = progress_update_statement();
  return {std::string(statement.sql),
          pg::params(pg::array_literal(ids), pg::array_literal(blocks),
                     pg::array_literal(percentages), pg::array_literal(estimates),
                     pg::array_literal(times), pg::array_literal(versions)),
          statement.tag};
}

}  // namespace utxoiq::store::detail
