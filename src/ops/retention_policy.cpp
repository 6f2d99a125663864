// See retention_policy.hpp.
#include "ops/retention_policy.hpp"

namespace utxoiq::ops {

std::string RetentionPolicy::expired_condition() const {
  std::string condition = "\"" + time_column + "\" < $1::timestamptz";
  if (!filter.empty()) condition += " AND " + filter;
  return condition;
}

std::vector<RetentionPolicy> retention_policies(const RetentionPeriods& periods) {
  return {
      {"backfill_jobs", "started_at", "status IN ('completed', 'failed')", "updated_at",
       periods.backfill_days},
      {"insight_feedback", "updated_at", "", "updated_at", periods.feedback_days},
      {"system_metrics", "timestamp", "", "timestamp", periods.metrics_days},
  };
}

std::vector<std::string> invalid_periods(const RetentionPeriods& periods) {
  std::vector<std::string> invalid;
  if (periods.backfill_days < 1) invalid.push_back("BACKFILL_RETENTION_DAYS");
  if (periods.feedback_days < 1) invalid.push_back("FEEDBACK_RETENTION_DAYS");
  if (periods.metrics_days < 1) invalid.push_back("METRICS_RETENTION_DAYS");
  if (periods.metrics_cold_days < 1) invalid.push_back("METRICS_COLD_RETENTION_DAYS");
  return invalid;
}

}  // namespace utxoiq::ops
