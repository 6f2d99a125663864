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
// Progress reports, the frequent change, keep these rules but share the transaction: a batch of
// them locks all its jobs (in id order) and writes them back with one statement
// (backfill_progress_batcher.hpp, internal/progress_batch.hpp).
#include "store/pg_backfill_jobs.hpp"

#include <algorithm>
#include <cassert>
#include <vector>

#include "domain/backfill_rules.hpp"
#include "pg/errors.hpp"
#include "pg/pool.hpp"
#include "pg/transaction.hpp"
#include "store/internal/backfill_rows.hpp"
#include "store/internal/keyset_page.hpp"
#include "store/internal/progress_batch.hpp"
#include "store/internal/query_builder.hpp"
#include "store/internal/sql_values.hpp"
#include "store/statement_tables.hpp"

namespace utxoiq::store {

namespace {

using domain::BackfillJob;

const std::string kSelectJobs =
    "SELECT " + std::string(detail::kBackfillColumns) + " FROM backfill_jobs";
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
// Progress reports are written by the batch of internal/progress_batch.hpp, which also sets
// last_progress_at; these changes leave it.
const std::string kUpdateSql = std::string(kUpdateSet) + " WHERE id = $1";

constexpr auto kRead = pg::StatementAccess::read;
constexpr auto kWrite = pg::StatementAccess::write;
const pg::TaggedSql kSelectById{{"backfill_jobs", "get", kRead}, kSelectByIdSql};
// SQL built at run time from kSelectJobs (query_builder.hpp).
const pg::TaggedSql kList{{"backfill_jobs", "list", kRead}, kSelectJobs};
const pg::TaggedSql kInsert{{"backfill_jobs", "start", kWrite}, kInsertSql};
// The life-cycle changes (complete, fail, pause, resume) share one method: change. Progress
// reports are batched (internal/progress_batch.hpp).
const pg::TaggedSql kLockById{{"backfill_jobs", "change", kWrite}, kLockByIdSql};
const pg::TaggedSql kUpdate{{"backfill_jobs", "change", kWrite}, kUpdateSql};

}  // namespace

std::span<const pg::TaggedSql> backfill_job_statements() {
  // Built on first use: the progress statements live in progress_batch.cpp.
  static const pg::TaggedSql table[] = {kSelectById,
                                        kList,
                                        kInsert,
                                        kLockById,
                                        kUpdate,
                                        detail::progress_lock_statement(),
                                        detail::progress_update_statement()};
  return table;
}

Task<std::optional<BackfillJob>> PgBackfillJobs::get(const Uuid& id) {
  const pg::Result result = co_await pool_.execute(kSelectById, pg::params(sql_uuid(id)));
  if (result.empty()) co_return std::nullopt;
  co_return detail::backfill_job_from_row(result, 0);
}

Task<BackfillJobPage> PgBackfillJobs::list(const domain::BackfillListQuery& query) {
  QueryBuilder q(kSelectJobs);
  if (query.status) q.where("status = " + q.bind(std::string(to_string(*query.status))));
  if (query.job_type) q.where("job_type = " + q.bind(*query.job_type));
  add_keyset_page(q, kJobsOrder, query.page);
  const pg::Result result = co_await pool_.execute(q.sql(), q.params(), kList.tag);
  BackfillJobPage page;
  page.jobs = take_page<BackfillJob>(
      result, query.page, kJobsOrder, detail::backfill_job_from_row,
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
  co_await listeners_.notify(std::vector<BackfillJob>(1, job));
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
  const BackfillJob stored = detail::backfill_job_from_row(locked, 0);
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
  co_await listeners_.notify(std::vector<BackfillJob>(1, change.job));
  co_return change;
}

Task<JobWrite> PgBackfillJobs::progress(const domain::ProgressUpdate& update) {
  co_return co_await progress_.progress(update);
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
