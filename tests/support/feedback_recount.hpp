#pragma once
// insight_feedback_stats against a recount from insight_feedback: the two queries give the same
// text exactly when the aggregate is exact. Per insight "insight:ratings,sum,r1..r5,comments,
// flags,inaccurate,misleading,spam,other;" (insights whose counts are all zeros left out, as an
// insight without rows has no row counts either).
namespace utxoiq::testing {

extern const char* const kFeedbackStatsFromRows;
extern const char* const kFeedbackStatsFromAggregate;

}  // namespace utxoiq::testing
