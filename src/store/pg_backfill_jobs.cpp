// SQL of the backfill_jobs table; see pg_backfill_jobs.hpp.
//
// Concurrency of the life-cycle changes: each change locks the job's row (SELECT ... FOR UPDATE),
// applies the domain rule to the locked row and writes it back, in one transaction of two round
// trips ([BEGIN, SELECT ... FOR UPDATE] then [UPDATE, COMMIT], each pipelined). Why row locks and
// not compare-and-set on `version` with retries:
//  - Concurrent writers of one job queue on the row lock in PostgreSQL and each is applied exactly
//    once, in bounded time: no writer can be starved by retry races, and two updates can never
//    overwrite one another (the second reads the first one's result).
//  - The lock is held for one round trip of ours, so the queue is short; writers of different jobs
//    never wait for each other.
//  - expected_version is checked against the locked row, so it is exact: a mismatch is a real
//    concurrent change, answered 409, never a transient retry.
#include "store/pg_backfill_jobs.hpp"

#include <algorithm>
#include <array>

#include "domain/backfill_rules.hpp"
#include "pg/errors.hpp"
#include "pg/pool.hpp"
#include "store/query_builder.hpp"
#include "store/sql_values.hpp"

namespace utxoiq::store {

namespace {

using domain::BackfillJob;
using domain::JobChange;

// Every query reads the columns in this order (job_from_row reads them by position).
constexpr std::string_view kColumns =
    "id, job_type, start_block, end_block, current_block, status, progress_percentage, "
    "estimated_completion, error_message, started_at, updated_at, completed_at, created_by, "
    "version";

const std::string kSelectById =
    "SELECT " + std::string(kColumns) + " FROM backfill_jobs WHERE id = $1";
const std::string kLockById = kSelectById + " FOR UPDATE";

constexpr std::string_view kInsert =
    "INSERT INTO backfill_jobs (id, job_type, start_block, end_block, current_block, status, "
    "progress_percentage, started_at, updated_at, created_by, version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)";

// last_progress_at is kept for operators (when did the worker last report?); the API's `stale`
// follows the domain rule on updated_at.
constexpr std::string_view kUpdate =
    "UPDATE backfill_jobs SET current_block = $2, status = $3, progress_percentage = $4, "
    "estimated_completion = $5, error_message = $6, updated_at = $7, completed_at = $8, "
    "version = $9, "
    "last_progress_at = CASE WHEN $10::boolean THEN $7::timestamptz ELSE last_progress_at END "
    "WHERE id = $1";

BackfillJob job_from_row(const pg::Result& r, int row) {
  BackfillJob job;
  job.id = row_uuid(r, row, 0);
  job.job_type = std::string(r.text(row, 1));
  job.start_block = r.int64(row, 2);
  job.end_block = r.int64(row, 3);
  job.current_block = r.int64(row, 4);
  const auto status = domain::parse_backfill_status(r.text(row, 5));
  if (!status) throw pg::DecodeError("backfill_jobs.status holds an unknown status");
  job.status = *status;
  job.progress_percentage = r.float64(row, 6);
  job.estimated_completion = row_optional_time(r, row, 7);
  job.error_message = row_optional_text(r, row, 8);
  job.started_at = row_time(r, row, 9);
  job.updated_at = row_time(r, row, 10);
  job.completed_at = row_optional_time(r, row, 11);
  job.created_by = row_optional_text(r, row, 12);
  job.version = r.int64(row, 13);
  return job;
}

JobWrite rejected(JobChange change) {
  JobWrite write;
  write.outcome = change.outcome == JobChange::Outcome::conflict ? JobWrite::Outcome::conflict
                                                                 : JobWrite::Outcome::invalid;
  write.detail = std::move(change.detail);
  write.errors = std::move(change.errors);
  write.job = std::move(change.job);
  return write;
}

}  // namespace

void PgBackfillJobs::add_change_listener(BackfillChangeListener listener) {
  listeners_.push_back(std::move(listener));
}

Task<void> PgBackfillJobs::notify(const BackfillJob& job) const {
  for (const auto& listener : listeners_) co_await listener(job);
}

Task<std::optional<BackfillJob>> PgBackfillJobs::get(const Uuid& id) {
  const pg::Result result = co_await pool_.execute(kSelectById, pg::params(sql_uuid(id)));
  if (result.empty()) co_return std::nullopt;
  co_return job_from_row(result, 0);
}

Task<BackfillJobPage> PgBackfillJobs::list(const domain::BackfillListQuery& query) {
  QueryBuilder q("SELECT " + std::string(kColumns) + " FROM backfill_jobs");
  if (query.status) q.where("status = " + q.bind(std::string(to_string(*query.status))));
  if (query.job_type) q.where("job_type = " + q.bind(*query.job_type));
  if (query.page.after) {
    // Row comparison: the index (started_at DESC, id DESC) serves it directly.
    const std::string at = q.bind(sql_time(query.page.after->at));
    const std::string id = q.bind(sql_uuid(query.page.after->id));
    q.where("(started_at, id) < (" + at + "::timestamptz, " + id + "::uuid)");
  }
  // One row more than asked tells whether another page follows.
  q.append(" ORDER BY started_at DESC, id DESC LIMIT " +
           q.bind(pg::to_param(query.page.limit + 1)));
  const pg::Result result = co_await pool_.execute(q.sql(), q.params());

  BackfillJobPage page;
  const int rows = result.rows();
  const int shown = std::min<int>(rows, static_cast<int>(query.page.limit));
  page.jobs.reserve(static_cast<std::size_t>(shown));
  for (int row = 0; row < shown; ++row) page.jobs.push_back(job_from_row(result, row));
  if (rows > shown && !page.jobs.empty()) {
    const BackfillJob& last = page.jobs.back();
    page.next = domain::KeysetCursor{domain::CursorKind::backfill_jobs, last.started_at, last.id};
  }
  co_return page;
}

Task<BackfillJob> PgBackfillJobs::start(const domain::StartJob& request) {
  const BackfillJob job = domain::new_backfill_job(request, new_uuid_v7(), now_utc());
  co_await pool_.execute(
      kInsert,
      pg::params(sql_uuid(job.id), job.job_type, job.start_block, job.end_block, job.current_block,
                 std::string(to_string(job.status)), job.progress_percentage,
                 sql_time(job.started_at), job.created_by, job.version));
  co_await notify(job);
  co_return job;
}

Task<JobWrite> PgBackfillJobs::change(const Uuid& id, Rule rule, bool records_progress) {
  pg::Lease lease = co_await pool_.acquire();
  const std::array<pg::Statement, 2> lock{
      pg::Statement{"BEGIN", {}},
      pg::Statement{kLockById, pg::params(sql_uuid(id))},
  };
  const auto locked = co_await lease->pipeline(lock);
  if (locked[1].empty()) {
    co_await lease->execute("ROLLBACK");
    JobWrite missing;
    missing.outcome = JobWrite::Outcome::not_found;
    co_return missing;
  }
  const BackfillJob stored = job_from_row(locked[1], 0);
  // Never before the last change, even if this machine's clock is behind the one that made it:
  // updated_at only moves forward.
  JobChange change = rule(stored, std::max(now_utc(), stored.updated_at));
  if (change.outcome != JobChange::Outcome::applied) {
    co_await lease->execute("ROLLBACK");
    co_return rejected(std::move(change));
  }
  const BackfillJob& next = change.job;
  const std::array<pg::Statement, 2> write{
      pg::Statement{
          std::string(kUpdate),
          pg::params(sql_uuid(id), next.current_block, std::string(to_string(next.status)),
                     next.progress_percentage, sql_time(next.estimated_completion),
                     next.error_message, sql_time(next.updated_at), sql_time(next.completed_at),
                     next.version, records_progress)},
      pg::Statement{"COMMIT", {}},
  };
  co_await lease->pipeline(write);
  lease.release();
  co_await notify(next);
  JobWrite applied;
  applied.job = next;
  co_return applied;
}

Task<JobWrite> PgBackfillJobs::progress(const domain::ProgressUpdate& update) {
  co_return co_await change(
      update.job_id,
      [&update](const BackfillJob& job, Timestamp now) {
        return domain::apply_progress(job, update, now);
      },
      true);
}

Task<JobWrite> PgBackfillJobs::complete(const Uuid& id) {
  co_return co_await change(id, domain::apply_complete, false);
}

Task<JobWrite> PgBackfillJobs::fail(const Uuid& id, const domain::FailJob& request) {
  co_return co_await change(
      id,
      [&request](const BackfillJob& job, Timestamp now) {
        return domain::apply_fail(job, request, now);
      },
      false);
}

Task<JobWrite> PgBackfillJobs::pause(const Uuid& id) {
  co_return co_await change(id, domain::apply_pause, false);
}

Task<JobWrite> PgBackfillJobs::resume(const Uuid& id) {
  co_return co_await change(id, domain::apply_resume, false);
}

}  // namespace utxoiq::store
