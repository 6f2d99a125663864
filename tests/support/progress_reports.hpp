#pragma once
// Sends progress reports to a PgBackfillJobs as concurrent requests would (all in one turn of the
// event loop, so they meet in the progress batcher) or one after another, and collects each
// report's answer or error; shared by the progress batch tests.
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <vector>

#include "store/pg_backfill_jobs.hpp"
#include "support/run_task.hpp"
#include "support/run_together.hpp"

namespace utxoiq::testing {

using ReportOutcome = CallOutcome<store::JobWrite>;

// One request's report. A function, not a capturing lambda: a coroutine lambda's captures die
// with the lambda object, before the coroutine runs.
inline Task<store::JobWrite> report_one(store::PgBackfillJobs& jobs, domain::ProgressUpdate u) {
  co_return co_await jobs.progress(u);
}

// Every report as its own request, all started in the same turn of the loop; waits for all.
inline std::vector<ReportOutcome> report_together(
    boost::asio::io_context& io, store::PgBackfillJobs& jobs,
    const std::vector<domain::ProgressUpdate>& reports) {
  return run_together(io, reports,
                      [&jobs](const domain::ProgressUpdate& u) { return report_one(jobs, u); });
}

// Every report as its own request, each sent after the previous one was answered.
inline std::vector<ReportOutcome> report_in_turn(
    boost::asio::io_context& io, store::PgBackfillJobs& jobs,
    const std::vector<domain::ProgressUpdate>& reports) {
  std::vector<ReportOutcome> outcomes(reports.size());
  for (std::size_t i = 0; i < reports.size(); ++i) {
    try {
      outcomes[i].answer = run_task(io, report_one(jobs, reports[i]));
    } catch (...) {
      outcomes[i].error = std::current_exception();
    }
  }
  return outcomes;
}

}  // namespace utxoiq::testing
