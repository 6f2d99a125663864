// SQL of the backfill_jobs table; see pg_backfill_jobs.hpp.
//
// Concurrency of the life-cycle changes: each change locks the job's row (SELECT ... FOR UPDATE),
// applies the domain rule to the locked row and writes it back, in one pg::Transaction of two
// round trips (the lock goes out with BEGIN, the UPDATE with COMMIT). Why row locks and
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
#include <cassert>
#include <vector>

#include "domain/backfill_rules.hpp"
#include "pg/errors.hpp"
#include "pg/pool.hpp"
#include "pg/transaction.hpp"
#include "store/internal/keyset_page.hpp"
#include "store/internal/query_builder.hpp"
#include "store/internal/sql_values.hpp"
#include "store/statement_tables.hpp"

namespace utxoiq::store {

namespace {

using domain::BackfillJob;

// Every query reads the columns in this order (job_from_row reads them by position).
constexpr std::string_view kColumns =
    "id, job_type, start_block, end_block, current_block, status, progress_percentage, "
    "estimated_completion, error_message, started_at, updated_at, completed_at, created_by, "
    "version";

const std::string kSelectJobs = "SELECT " + std::string(kColumns) + " FROM backfill_jobs";
const std::string kSelectByIdSql = kSelectJobs + " WHERE id = $1";
const std::string kLockByIdSql = kSelectByIdSql + " FOR UPDATE";

// The index (started_at DESC, id DESC) serves the keyset condition and the order.
constexpr KeysetOrder kJobsOrder{"started_at", true, domain::CursorKind::backfill_jobs};

constexpr std::string_view kInsertSql =
    "INSERT INTO backfill_jobs (id, job_type, start_block, end_block, current_block, status, "
    "progress_percentage, started_at, updated_at, created_by, version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)";

constexpr std::string_view kUpdateSet =
    "UPDATE backfill_jobs SET current_block = $2, status = $3, progress_percentage = $4, "
    "estimated_completion = $5, error_message = $6, updated_at = $7, completed_at = $8, "
    "version = $9";
// last_progress_at is kept for operators (when did the worker last report?): a progress report
// sets it, the other changes leave it; the API's `stale` follows the domain rule on updated_at.
const std::string kUpdateSql = std::string(kUpdateSet) + " WHERE id = $1";
const std::string kUpdateWithProgressSql =
    std::string(kUpdateSet) + ", last_progress_at = $7 WHERE id = $1";

constexpr auto kRead = pg::StatementAccess::read;
constexpr auto kWrite = pg::StatementAccess::write;
const pg::TaggedSql kSelectById{{"backfill_jobs", "get", kRead}, kSelectByIdSql};
// SQL built at run time from kSelectJobs (query_builder.hpp).
const pg::TaggedSql kList{{"backfill_jobs", "list", kRead}, kSelectJobs};
const pg::TaggedSql kInsert{{"backfill_jobs", "start", kWrite}, kInsertSql};
// The life-cycle changes (progress, complete, fail, pause, resume) share one method: change.
const pg::TaggedSql kLockById{{"backfill_jobs", "change", kWrite}, kLockByIdSql};
const pg::TaggedSql kUpdate{{"backfill_jobs", "change", kWrite}, kUpdateSql};
const pg::TaggedSql kUpdateWithProgress{{"backfill_jobs", "change", kWrite},
                                        kUpdateWithProgressSql};
const pg::TaggedSql kTable[] = {kSelectById, kList,   kInsert,
                                kLockById,   kUpdate, kUpdateWithProgress};

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

}  // namespace

std::span<const pg::TaggedSql> backfill_job_statements() {
  return kTable;
}

Task<std::optional<BackfillJob>> PgBackfillJobs::get(const Uuid& id) {
  const pg::Result result = co_await pool_.execute(kSelectById, pg::params(sql_uuid(id)));
  if (result.empty()) co_return std::nullopt;
  co_return job_from_row(result, 0);
}

Task<BackfillJobPage> PgBackfillJobs::list(const domain::BackfillListQuery& query) {
  QueryBuilder q(kSelectJobs);
  if (query.status) q.where("status = " + q.bind(std::string(to_string(*query.status))));
  if (query.job_type) q.where("job_type = " + q.bind(*query.job_type));
  add_keyset_page(q, kJobsOrder, query.page);
  const pg::Result result = co_await pool_.execute(q.sql(), q.params(), kList.tag);
  BackfillJobPage page;
  page.jobs = take_page<BackfillJob>(
      result, query.page, kJobsOrder, job_from_row,
      [](const BackfillJob& job) { return std::pair(job.started_at, job.id); }, &page.next);
  co_return page;
}

Task<BackfillJob> PgBackfillJobs::start(const domain::StartJob& request) {
  const BackfillJob job = domain::new_backfill_job(request, new_uuid_v7(), now_utc());
  co_await pool_.execute(
      kInsert,
      pg::params(sql_uuid(job.id), job.job_type, job.start_block, job.end_block, job.current_block,
                 std::string(to_string(job.status)), job.progress_percentage,
                 sql_time(job.started_at), job.created_by, job.version));
  co_await listeners_.notify(job);
  co_return job;
}

pg::Statement update_statement(const pg::TaggedSql& sql, const BackfillJob& next) {
  return {
      std::string(sql.sql),
      pg::params(sql_uuid(next.id), next.current_block, std::string(to_string(next.status)),
                 next.progress_percentage, sql_time(next.estimated_completion), next.error_message,
                 sql_time(next.updated_at), sql_time(next.completed_at), next.version),
      sql.tag};
}

Task<JobWrite> PgBackfillJobs::change(const Uuid& id, Rule rule, const pg::TaggedSql& update_sql) {
  pg::Transaction tx = co_await pg::Transaction::begin(pool_);
  const pg::Result locked = co_await tx.execute(kLockById, pg::params(sql_uuid(id)));
  if (locked.empty()) {
    co_await tx.rollback();
    JobWrite missing;
    missing.outcome = JobWrite::Outcome::not_found;
    co_return missing;
  }
  const BackfillJob stored = job_from_row(locked, 0);
  // Never before the last change, even if this machine's clock is behind the one that made it:
  // updated_at only moves forward.
  JobWrite change = rule(stored, std::max(now_utc(), stored.updated_at));
  if (change.outcome != JobWrite::Outcome::applied) {
    co_await tx.rollback();
    co_return change;
  }
  assert(change.job.id == id && "a rule never changes the job's id");
  std::vector<pg::Statement> write;
  write.push_back(update_statement(update_sql, change.job));
  co_await tx.commit(std::move(write));
  co_await listeners_.notify(change.job);
  co_return change;
}

Task<JobWrite> PgBackfillJobs::progress(const domain::ProgressUpdate& update) {
  co_return co_await change(
      update.job_id,
      [&update](const BackfillJob& job, Timestamp now) {
        return domain::apply_progress(job, update, now);
      },
      kUpdateWithProgress);
}

Task<JobWrite> PgBackfillJobs::complete(const Uuid& id) {
  co_return co_await change(id, domain::apply_complete, kUpdate);
}

Task<JobWrite> PgBackfillJobs::fail(const Uuid& id, const domain::FailJob& request) {
  co_return co_await change(
      id,
      [&request](const BackfillJob& job, Timestamp now) {
        return domain::apply_fail(job, request, now);
      },
      kUpdate);
}

Task<JobWrite> PgBackfillJobs::pause(const Uuid& id) {
  co_return co_await change(id, domain::apply_pause, kUpdate);
}

Task<JobWrite> PgBackfillJobs::resume(const Uuid& id) {
  co_return co_await change(id, domain::apply_resume, kUpdate);
}

}  // namespace utxoiq::store
