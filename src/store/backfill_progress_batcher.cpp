// See backfill_progress_batcher.hpp.
#include "store/backfill_progress_batcher.hpp"

#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "pg/pool.hpp"
#include "pg/transaction.hpp"
#include "store/internal/backfill_rows.hpp"
#include "store/internal/batch_or_each.hpp"
#include "store/internal/progress_batch.hpp"

namespace utxoiq::store {

namespace {

// One report waiting for its batch.
struct PendingReport : pg::BatchQueue::Item {
  explicit PendingReport(domain::ProgressUpdate u) : update(std::move(u)) {}
  domain::ProgressUpdate update;
  std::optional<JobWrite> result;
};

// Locks the reports' jobs, applies the reports in order and writes the changed jobs back, in one
// transaction; rolled back when no report changed anything.
Task<detail::ProgressBatchOutcome> write_together(
    pg::Pool& pool, const std::vector<domain::ProgressUpdate>& reports) {
  pg::Transaction tx = co_await pg::Transaction::begin(pool);
  const pg::Result locked =
      co_await tx.execute(detail::progress_lock_statement(), detail::progress_lock_params(reports));
  std::vector<domain::BackfillJob> jobs;
  jobs.reserve(static_cast<std::size_t>(locked.rows()));
  for (int row = 0; row < locked.rows(); ++row) {
    jobs.push_back(detail::backfill_job_from_row(locked, row));
  }
  detail::ProgressBatchOutcome outcome = detail::apply_progress_batch(jobs, reports, now_utc());
  if (outcome.changed.empty()) {
    co_await tx.rollback();
    co_return outcome;
  }
  std::vector<pg::Statement> write;
  write.push_back(detail::progress_update(outcome.changed));
  co_await tx.commit(std::move(write));
  co_return outcome;
}

// The jobs committed so far by one batch, each as last written (the written-alone path can
// commit one job several times).
using Committed = std::map<Uuid, domain::BackfillJob>;

void remember(Committed& committed, const std::vector<domain::BackfillJob>& changed) {
  for (const auto& job : changed) committed.insert_or_assign(job.id, job);
}

// Writes the reports of `batch` together, or one by one when the batch fails for a reason of its
// data (the rule of internal/batch_or_each.hpp); fills each one's result or error and returns
// the jobs committed. Never throws.
Task<Committed> write_reports(pg::Pool& pool, const pg::BatchQueue::Batch& batch) {
  std::vector<domain::ProgressUpdate> reports;
  reports.reserve(batch.size());
  for (const auto& item : batch) reports.push_back(pg::item_as<PendingReport>(item).update);
  Committed committed;
  co_await detail::write_batch_or_each(
      batch,
      [&pool, &reports, &batch, &committed]() -> Task<void> {
        detail::ProgressBatchOutcome outcome = co_await write_together(pool, reports);
        remember(committed, outcome.changed);
        for (std::size_t i = 0; i < batch.size(); ++i) {
          pg::item_as<PendingReport>(batch[i]).result = std::move(outcome.answers[i]);
        }
      },
      [&pool, &committed](const detail::BatchItem& item) -> Task<void> {
        const std::vector<domain::ProgressUpdate> one{pg::item_as<PendingReport>(item).update};
        detail::ProgressBatchOutcome outcome = co_await write_together(pool, one);
        remember(committed, outcome.changed);
        pg::item_as<PendingReport>(item).result = std::move(outcome.answers.front());
      });
  co_return committed;
}

// Writes the batch, then tells `committed` of the jobs it changed, each once, before any of its
// requests is answered.
Task<void> write_batch(pg::Pool& pool, const BackfillProgressBatcher::Committed& committed,
                       const pg::BatchQueue::Batch& batch) {
  const Committed written = co_await write_reports(pool, batch);
  if (written.empty()) co_return;
  std::vector<domain::BackfillJob> jobs;
  jobs.reserve(written.size());
  for (const auto& [id, job] : written) jobs.push_back(job);
  co_await committed(std::move(jobs));
}

}  // namespace

BackfillProgressBatcher::BackfillProgressBatcher(pg::Pool& pool, Committed committed,
                                                 std::size_t max_batch)
    : queue_(pool.executor(), max_batch,
             [&pool, committed = std::move(committed)](const pg::BatchQueue::Batch& batch) {
               return write_batch(pool, committed, batch);
             }) {}

Task<JobWrite> BackfillProgressBatcher::progress(domain::ProgressUpdate update) {
  auto item = std::make_shared<PendingReport>(std::move(update));
  co_await queue_.submit(item);
  co_return std::move(*item->result);
}

}  // namespace utxoiq::store
