#pragma once
// INTERNAL to src/store: a batch of progress reports (backfill_progress_batcher.hpp) answered as
// if its reports ran one after another, in one transaction of two round trips:
//
//   [BEGIN, lock]      SELECT ... WHERE id = ANY(the batch's jobs) ORDER BY id FOR UPDATE
//   (in C++)           domain::apply_progress to each report in arrival order, each on its job
//                      as the reports before it left it
//   [update, COMMIT]   one UPDATE ... FROM unnest(...) of the final row of each changed job
//
// The rule is the single report's rule (domain/backfill_rules.hpp) applied to the locked rows, so
// a report gets exactly the answer it would get alone at that point of the sequence: a later
// report on the same job sees the earlier one's block and version, a report on an unknown job
// gets not_found, a rejected report changes nothing. Jobs are locked in id order, so two batches
// (of two instances) never deadlock, and a single life-cycle change holds one lock only.
#include <span>
#include <vector>

#include "domain/backfill_job.hpp"
#include "domain/backfill_requests.hpp"
#include "pg/params.hpp"
#include "pg/statement_tag.hpp"
#include "store/backfill_store.hpp"
#include "util/time.hpp"

namespace utxoiq::store::detail {

struct ProgressBatchOutcome {
  std::vector<JobWrite> answers;             // one per report, in the reports' order
  std::vector<domain::BackfillJob> changed;  // each job a report changed, as left; by id
};

// Applies `reports` in order to `locked` (the stored jobs, each once) at `now`; a change is never
// dated before the job's updated_at (the clock of the instance that made it may be ahead).
ProgressBatchOutcome apply_progress_batch(std::span<const domain::BackfillJob> locked,
                                          std::span<const domain::ProgressUpdate> reports,
                                          Timestamp now);

// The lock of the reports' jobs: the statement and its parameter (the distinct ids).
const pg::TaggedSql& progress_lock_statement();
pg::Params progress_lock_params(std::span<const domain::ProgressUpdate> reports);

// The write of `changed` (not empty): current_block, progress_percentage, estimated_completion,
// updated_at, last_progress_at (= updated_at) and version of each; status is running before and
// after a progress report, and the other columns are not a report's.
const pg::TaggedSql& progress_update_statement();
pg::Statement progress_update(std::span<const domain::BackfillJob> changed);

}  // namespace utxoiq::store::detail
