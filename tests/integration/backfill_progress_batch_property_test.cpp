// Batched progress reports (store/backfill_progress_batcher through PgBackfillJobs) on a real
// PostgreSQL, as a RapidCheck property (100+ cases): a random batch of reports on a few jobs —
// several on one job, below or beyond its blocks, with right and stale expected_version, on
// paused and ended jobs, on an unknown job — sent together gives every report the answer it gets
// when the same reports are sent one after another to a copy of the jobs, and the answer of the
// domain rule applied in arrival order; both copies end with the rows the rule leaves.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/backfill_rules.hpp"
#include "pg/pool.hpp"
#include "store/pg_backfill_jobs.hpp"
#include "support/pool_options.hpp"
#include "support/progress_reports.hpp"
#include "support/run_task.hpp"
#include "support/test_servers.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {
namespace {

using Outcome = store::JobWrite::Outcome;

struct Store {
  boost::asio::io_context io;
  pg::Pool pool{io.get_executor(),
                small_pool_options(TestServers::get().create_migrated_database())};
  store::PgBackfillJobs jobs{pool};
};

Store& store_under_test() {
  static Store s;
  return s;
}

// A job as the case wants it: its blocks and what happened to it before the reports.
struct JobSpec {
  std::int64_t start_block = 0;
  std::int64_t length = 0;
  int history = 0;  // 0, 1: running; 2: paused; 3: completed; 4: failed
};

// Starts the job of `spec` and gives it its history; the job as stored.
domain::BackfillJob make_job(const JobSpec& spec) {
  Store& s = store_under_test();
  domain::StartJob request;
  request.job_type = "blocks";
  request.start_block = spec.start_block;
  request.end_block = spec.start_block + spec.length;
  const Uuid id = run_task(s.io, s.jobs.start(request)).id;
  if (spec.history == 2) run_task(s.io, s.jobs.pause(id));
  if (spec.history == 3) run_task(s.io, s.jobs.complete(id));
  if (spec.history == 4) run_task(s.io, s.jobs.fail(id, domain::FailJob{"broken"}));
  return *run_task(s.io, s.jobs.get(id));
}

// A report on job `job` of the case (== the number of jobs: an unknown job).
struct ReportSpec {
  int job = 0;
  std::int64_t block_offset = 0;      // from the job's start_block; may leave its range
  std::int64_t expected_version = 0;  // 0: none
  int percentage = -1;                // -1: none
};

domain::ProgressUpdate to_report(const ReportSpec& spec,
                                 const std::vector<domain::BackfillJob>& jobs,
                                 const Uuid& unknown) {
  domain::ProgressUpdate u;
  const bool known = spec.job < static_cast<int>(jobs.size());
  u.job_id = known ? jobs[spec.job].id : unknown;
  const std::int64_t start = known ? jobs[spec.job].start_block : 0;
  u.current_block = std::max<std::int64_t>(0, start + spec.block_offset);
  if (spec.expected_version > 0) u.expected_version = spec.expected_version;
  if (spec.percentage >= 0) u.progress_percentage = spec.percentage;
  return u;
}

// What the answers are compared on: not the times, which are each run's own.
void expect_same(const store::JobWrite& a, const store::JobWrite& b) {
  RC_ASSERT(a.outcome == b.outcome);
  RC_ASSERT(a.detail == b.detail);
  RC_ASSERT(a.errors == b.errors);
  if (a.outcome != Outcome::applied) return;
  RC_ASSERT(a.job.current_block == b.job.current_block);
  RC_ASSERT(a.job.version == b.job.version);
  RC_ASSERT(a.job.progress_percentage == b.job.progress_percentage);
  RC_ASSERT(a.job.status == b.job.status);
}

void expect_row(const domain::BackfillJob& stored, const domain::BackfillJob& model) {
  RC_ASSERT(stored.current_block == model.current_block);
  RC_ASSERT(stored.version == model.version);
  RC_ASSERT(stored.progress_percentage == model.progress_percentage);
  RC_ASSERT(stored.status == model.status);
}

RC_GTEST_PROP(BackfillProgressBatch, ABatchAnswersAndWritesAsItsReportsOneAfterAnother, ()) {
  Store& s = store_under_test();
  const auto specs = *rc::gen::resize(
      3, rc::gen::nonEmpty(rc::gen::container<std::vector<JobSpec>>(rc::gen::build<JobSpec>(
             rc::gen::set(&JobSpec::start_block, rc::gen::inRange<std::int64_t>(0, 6)),
             rc::gen::set(&JobSpec::length, rc::gen::inRange<std::int64_t>(0, 10)),
             rc::gen::set(&JobSpec::history, rc::gen::inRange(0, 5))))));
  const int n = static_cast<int>(specs.size());
  const auto report_specs = *rc::gen::resize(
      12, rc::gen::nonEmpty(rc::gen::container<std::vector<ReportSpec>>(rc::gen::build<ReportSpec>(
              rc::gen::set(&ReportSpec::job, rc::gen::inRange(0, n + 1)),
              rc::gen::set(&ReportSpec::block_offset, rc::gen::inRange<std::int64_t>(-2, 13)),
              rc::gen::set(&ReportSpec::expected_version, rc::gen::inRange<std::int64_t>(0, 5)),
              rc::gen::set(&ReportSpec::percentage, rc::gen::inRange(-1, 101))))));

  std::vector<domain::BackfillJob> together, in_turn;
  for (const auto& spec : specs) {
    together.push_back(make_job(spec));
    in_turn.push_back(make_job(spec));
  }
  const Uuid unknown = new_uuid_v7();
  std::vector<domain::ProgressUpdate> batch, sequence;
  for (const auto& spec : report_specs) {
    batch.push_back(to_report(spec, together, unknown));
    sequence.push_back(to_report(spec, in_turn, unknown));
  }
  const auto batched = report_together(s.io, s.jobs, batch);
  const auto alone = report_in_turn(s.io, s.jobs, sequence);

  // The model: the domain rule applied in arrival order to the jobs as they were.
  std::vector<domain::BackfillJob> model = together;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    RC_ASSERT(batched[i].answer.has_value());
    RC_ASSERT(alone[i].answer.has_value());
    store::JobWrite expected;
    const int j = report_specs[i].job;
    if (j == n) {
      expected.outcome = Outcome::not_found;
    } else {
      expected = domain::apply_progress(model[j], batch[i], now_utc());
      if (expected.outcome == Outcome::applied) model[j] = expected.job;
    }
    expect_same(*batched[i].answer, expected);
    expect_same(*alone[i].answer, expected);
  }
  for (int j = 0; j < n; ++j) {
    expect_row(*run_task(s.io, s.jobs.get(together[j].id)), model[j]);
    expect_row(*run_task(s.io, s.jobs.get(in_turn[j].id)), model[j]);
  }
}

}  // namespace
}  // namespace utxoiq::testing
