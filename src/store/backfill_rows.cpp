// See internal/backfill_rows.hpp.
#include "store/internal/backfill_rows.hpp"

#include <string>

#include "pg/errors.hpp"
#include "store/internal/sql_values.hpp"

namespace utxoiq::store::detail {

domain::BackfillJob backfill_job_from_row(const pg::Result& r, int row) {
  domain::BackfillJob job;
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

}  // namespace utxoiq::store::detail
