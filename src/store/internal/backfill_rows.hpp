#pragma once
// The column list every backfill_jobs query selects and its reader, shared by the repository
// (pg_backfill_jobs.cpp) and the progress batch (progress_batch.hpp) (internal to store/).
#include <string_view>

#include "domain/backfill_job.hpp"
#include "pg/result.hpp"

namespace utxoiq::store::detail {

// Every backfill_jobs query returns these columns, in this order (backfill_job_from_row reads them
// by position).
inline constexpr std::string_view kBackfillColumns =
    "id, job_type, start_block, end_block, current_block, status, progress_percentage, "
    "estimated_completion, error_message, started_at, updated_at, completed_at, created_by, "
    "version";

domain::BackfillJob backfill_job_from_row(const pg::Result& result, int row);

}  // namespace utxoiq::store::detail
