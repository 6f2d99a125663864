#pragma once
// What retention keeps (requirement 7): each table, the time column its age is read from, which
// rows may go at all, and how an archived row is found again for deletion. Backfill jobs go by
// started_at (the table's creation time; it has no created_at) and only when ended (completed or
// failed: a running or paused job is never deleted, whatever its age); feedback by updated_at;
// metrics by timestamp. A row is deleted only if it still equals the archived version: jobs and
// feedback by (id, updated_at), metrics by (timestamp, id) — so a row changed after its archive
// was made stays until the next run.
#include <chrono>
#include <string>
#include <vector>

#include "util/time.hpp"

namespace utxoiq::ops {

struct RetentionPeriods {
  int backfill_days = 180;      // BACKFILL_RETENTION_DAYS
  int feedback_days = 730;      // FEEDBACK_RETENTION_DAYS
  int metrics_days = 90;        // METRICS_RETENTION_DAYS
  int metrics_cold_days = 365;  // METRICS_COLD_RETENTION_DAYS: archives kept this long after
};

struct RetentionPolicy {
  std::string table;
  std::string time_column;     // age and archive order: (time_column, id)
  std::string filter;          // extra condition on the rows that may go ("" for none)
  std::string version_column;  // with id, identifies the archived version of a row
  int days = 0;

  Timestamp cutoff(Timestamp now) const { return now - std::chrono::days{days}; }
  // SQL condition selecting the rows older than $1 (timestamptz) that may go.
  std::string expired_condition() const;
};

std::vector<RetentionPolicy> retention_policies(const RetentionPeriods& periods);

// Every period must be at least one day; returns the names of those that are not.
std::vector<std::string> invalid_periods(const RetentionPeriods& periods);

}  // namespace utxoiq::ops
