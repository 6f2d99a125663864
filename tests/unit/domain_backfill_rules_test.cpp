// The backfill job life cycle: transitions, computed progress and estimates, optimistic locking,
// staleness, and the JSON form of a job.
#include "domain/backfill_rules.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

#include "util/rfc3339.hpp"

namespace utxoiq::domain {
namespace {

using namespace std::chrono;
using Outcome = JobChange::Outcome;

const Timestamp kStart = *parse_rfc3339("2026-11-22T01:00:00Z");

BackfillJob running_job(std::int64_t start = 100, std::int64_t end = 300) {
  StartJob request{"blocks", start, end, "ops"};
  return new_backfill_job(request, *Uuid::parse("0192f0c4-5b7a-7cde-8f01-23456789abcd"), kStart);
}

ProgressUpdate progress(std::int64_t block) {
  ProgressUpdate update;
  update.job_id = running_job().id;
  update.current_block = block;
  return update;
}

TEST(BackfillTransitions, FollowTheStateMachine) {
  using enum BackfillStatus;
  using enum BackfillAction;
  struct Row {
    BackfillStatus from;
    BackfillAction action;
    std::optional<BackfillStatus> to;
  };
  const Row table[] = {
      {running, progress, running},    {running, complete, completed},
      {running, fail, failed},         {running, pause, paused},
      {running, resume, std::nullopt}, {paused, progress, std::nullopt},
      {paused, complete, completed},   {paused, fail, failed},
      {paused, pause, std::nullopt},   {paused, resume, running},
  };
  for (const auto& row : table) {
    EXPECT_EQ(status_after(row.from, row.action), row.to)
        << to_string(row.from) << " " << static_cast<int>(row.action);
  }
  for (const auto ended : {completed, failed}) {
    EXPECT_TRUE(is_ended(ended));
    for (const auto action : {progress, complete, fail, pause, resume}) {
      EXPECT_EQ(status_after(ended, action), std::nullopt) << to_string(ended);
    }
  }
  EXPECT_FALSE(is_ended(running));
  EXPECT_FALSE(is_ended(paused));
}

TEST(BackfillStatusNames, RoundTrip) {
  for (const auto s : {BackfillStatus::running, BackfillStatus::paused, BackfillStatus::completed,
                       BackfillStatus::failed}) {
    EXPECT_EQ(parse_backfill_status(to_string(s)), s);
  }
  EXPECT_EQ(parse_backfill_status("RUNNING"), std::nullopt);
  EXPECT_EQ(parse_backfill_status(""), std::nullopt);
}

TEST(ProgressFromBlocks, IsTheBlockFraction) {
  EXPECT_DOUBLE_EQ(progress_from_blocks(0, 50, 100), 50.0);
  EXPECT_DOUBLE_EQ(progress_from_blocks(100, 100, 300), 0.0);
  EXPECT_DOUBLE_EQ(progress_from_blocks(100, 300, 300), 100.0);
  EXPECT_DOUBLE_EQ(progress_from_blocks(100, 150, 300), 25.0);
  EXPECT_DOUBLE_EQ(progress_from_blocks(7, 7, 7), 100.0);  // start == end
  EXPECT_DOUBLE_EQ(progress_from_blocks(0, 1, 3), 100.0 / 3.0);
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  EXPECT_DOUBLE_EQ(progress_from_blocks(0, max / 2, max), 50.0);
  EXPECT_DOUBLE_EQ(progress_from_blocks(0, max, max), 100.0);
}

TEST(EstimateCompletion, ExtrapolatesTheObservedRate) {
  // 100 blocks in 100 s, 200 to go: 200 s more.
  EXPECT_EQ(estimate_completion(0, kStart, 100, kStart + seconds{100}, 300), kStart + seconds{300});
  // 1 block per 2 s, 3 to go.
  EXPECT_EQ(estimate_completion(10, kStart, 11, kStart + seconds{2}, 14), kStart + seconds{8});
  // Done: the estimate is the time of the observation, even with no rate.
  EXPECT_EQ(estimate_completion(5, kStart, 5, kStart, 5), kStart);
  EXPECT_EQ(estimate_completion(0, kStart, 300, kStart + seconds{1}, 300), kStart + seconds{1});
}

TEST(EstimateCompletion, IsNullWithoutARateOrBeyondRepresentableTime) {
  EXPECT_EQ(estimate_completion(0, kStart, 0, kStart + seconds{100}, 300), std::nullopt);
  EXPECT_EQ(estimate_completion(0, kStart, 100, kStart, 300), std::nullopt);
  EXPECT_EQ(estimate_completion(0, kStart, 100, kStart - seconds{1}, 300), std::nullopt);
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  // One block in a year with 2^63 to go: far past year 9999.
  EXPECT_EQ(estimate_completion(0, kStart, 1, kStart + days{365}, max), std::nullopt);
}

TEST(NewBackfillJob, StartsRunningAtTheStartBlock) {
  const BackfillJob job = running_job(100, 300);
  EXPECT_EQ(job.status, BackfillStatus::running);
  EXPECT_EQ(job.current_block, 100);
  EXPECT_EQ(job.progress_percentage, 0.0);
  EXPECT_EQ(job.version, 1);
  EXPECT_EQ(job.started_at, kStart);
  EXPECT_EQ(job.updated_at, kStart);
  EXPECT_EQ(job.created_by, "ops");
  EXPECT_FALSE(job.completed_at);
  EXPECT_FALSE(job.estimated_completion);
  EXPECT_FALSE(job.error_message);
}

TEST(ApplyProgress, ComputesProgressAndEstimateWhenAbsent) {
  const BackfillJob job = running_job(100, 300);
  const JobChange change = apply_progress(job, progress(150), kStart + seconds{50});
  ASSERT_EQ(change.outcome, Outcome::applied);
  EXPECT_EQ(change.job.current_block, 150);
  EXPECT_DOUBLE_EQ(change.job.progress_percentage, 25.0);
  // 50 blocks in 50 s since the start; 150 to go.
  EXPECT_EQ(change.job.estimated_completion, kStart + seconds{200});
  EXPECT_EQ(change.job.version, 2);
  EXPECT_EQ(change.job.updated_at, kStart + seconds{50});
  EXPECT_EQ(change.job.status, BackfillStatus::running);
  EXPECT_EQ(change.job.started_at, kStart);
}

TEST(ApplyProgress, UsesTheClientsValuesWhenGiven) {
  ProgressUpdate update = progress(150);
  update.progress_percentage = 33.5;
  update.estimated_completion = kStart + hours{5};
  update.expected_version = 1;
  const JobChange change = apply_progress(running_job(100, 300), update, kStart + seconds{50});
  ASSERT_EQ(change.outcome, Outcome::applied);
  EXPECT_EQ(change.job.progress_percentage, 33.5);
  EXPECT_EQ(change.job.estimated_completion, kStart + hours{5});
}

TEST(ApplyProgress, AcceptsTheSameBlockAndTheEndBlockWithoutCompleting) {
  BackfillJob job = running_job(100, 300);
  const JobChange same = apply_progress(job, progress(100), kStart + seconds{1});
  ASSERT_EQ(same.outcome, Outcome::applied);
  EXPECT_EQ(same.job.current_block, 100);
  EXPECT_FALSE(same.job.estimated_completion);  // no rate yet

  const JobChange end = apply_progress(same.job, progress(300), kStart + seconds{2});
  ASSERT_EQ(end.outcome, Outcome::applied);
  EXPECT_EQ(end.job.status, BackfillStatus::running);
  EXPECT_DOUBLE_EQ(end.job.progress_percentage, 100.0);
  EXPECT_EQ(end.job.version, 3);
  EXPECT_FALSE(end.job.completed_at);
}

TEST(ApplyProgress, OutOfRangeOrBackwardsBlockIsInvalid) {
  BackfillJob job = running_job(100, 300);
  job.current_block = 200;
  for (const std::int64_t block : {99, 301, 199}) {
    const JobChange change = apply_progress(job, progress(block), kStart + seconds{1});
    ASSERT_EQ(change.outcome, Outcome::invalid) << block;
    ASSERT_EQ(change.errors.size(), 1u);
    EXPECT_EQ(change.errors[0].field, "current_block");
  }
}

TEST(ApplyProgress, ConflictsWhenNotRunningOrVersionDiffers) {
  BackfillJob job = running_job();
  ProgressUpdate stale = progress(150);
  stale.expected_version = 2;
  EXPECT_EQ(apply_progress(job, stale, kStart).outcome, Outcome::conflict);

  for (const auto status :
       {BackfillStatus::paused, BackfillStatus::completed, BackfillStatus::failed}) {
    job.status = status;
    const JobChange change = apply_progress(job, progress(150), kStart);
    EXPECT_EQ(change.outcome, Outcome::conflict) << to_string(status);
    EXPECT_FALSE(change.detail.empty());
  }
}

TEST(ApplyComplete, EndsTheJobAtTheEndBlock) {
  BackfillJob job = running_job(100, 300);
  job.estimated_completion = kStart + hours{1};
  const JobChange done = apply_complete(job, kStart + minutes{3});
  ASSERT_EQ(done.outcome, Outcome::applied);
  EXPECT_EQ(done.job.status, BackfillStatus::completed);
  EXPECT_EQ(done.job.current_block, 300);
  EXPECT_EQ(done.job.progress_percentage, 100.0);
  EXPECT_EQ(done.job.completed_at, kStart + minutes{3});
  EXPECT_FALSE(done.job.estimated_completion);
  EXPECT_EQ(done.job.version, 2);
  // A paused job may be completed; an ended one may not.
  EXPECT_EQ(apply_complete(apply_pause(job, kStart).job, kStart).outcome, Outcome::applied);
  EXPECT_EQ(apply_complete(done.job, kStart).outcome, Outcome::conflict);
  EXPECT_EQ(apply_fail(done.job, FailJob{"x"}, kStart).outcome, Outcome::conflict);
}

TEST(ApplyFail, StoresTheMessageAndTheEndTime) {
  const JobChange failed = apply_fail(running_job(), FailJob{"disk full"}, kStart + minutes{1});
  ASSERT_EQ(failed.outcome, Outcome::applied);
  EXPECT_EQ(failed.job.status, BackfillStatus::failed);
  EXPECT_EQ(failed.job.error_message, "disk full");
  EXPECT_EQ(failed.job.completed_at, kStart + minutes{1});
  EXPECT_EQ(apply_fail(failed.job, FailJob{"again"}, kStart).outcome, Outcome::conflict);
  EXPECT_EQ(apply_complete(failed.job, kStart).outcome, Outcome::conflict);
  EXPECT_EQ(apply_resume(failed.job, kStart).outcome, Outcome::conflict);
}

TEST(ApplyPauseResume, ToggleRunningAndPaused) {
  const BackfillJob job = running_job();
  const JobChange paused = apply_pause(job, kStart + seconds{10});
  ASSERT_EQ(paused.outcome, Outcome::applied);
  EXPECT_EQ(paused.job.status, BackfillStatus::paused);
  EXPECT_EQ(paused.job.version, 2);
  EXPECT_EQ(apply_pause(paused.job, kStart).outcome, Outcome::conflict);
  EXPECT_EQ(apply_resume(job, kStart).outcome, Outcome::conflict);
  const JobChange resumed = apply_resume(paused.job, kStart + seconds{20});
  ASSERT_EQ(resumed.outcome, Outcome::applied);
  EXPECT_EQ(resumed.job.status, BackfillStatus::running);
  EXPECT_EQ(resumed.job.version, 3);
  EXPECT_EQ(resumed.job.updated_at, kStart + seconds{20});
}

TEST(Staleness, RunningWithoutChangeForLongerThanTheStallTime) {
  BackfillJob job = running_job();
  EXPECT_FALSE(is_stale(job, kStart + minutes{10}));
  EXPECT_TRUE(is_stale(job, kStart + minutes{10} + microseconds{1}));
  EXPECT_TRUE(is_stale(job, kStart + seconds{2}, seconds{1}));
  job.status = BackfillStatus::paused;
  EXPECT_FALSE(is_stale(job, kStart + hours{5}));
  job.status = BackfillStatus::completed;
  EXPECT_FALSE(is_stale(job, kStart + hours{5}));
}

TEST(BackfillJobJson, HasEveryFieldInApiForm) {
  BackfillJob job = running_job(100, 300);
  job.estimated_completion = kStart + hours{1} + microseconds{5};
  const boost::json::object o = to_json(job, kStart + hours{1});
  EXPECT_EQ(o.size(), 15u);
  EXPECT_EQ(o.at("id"), "0192f0c4-5b7a-7cde-8f01-23456789abcd");
  EXPECT_EQ(o.at("job_type"), "blocks");
  EXPECT_EQ(o.at("start_block").as_int64(), 100);
  EXPECT_EQ(o.at("end_block").as_int64(), 300);
  EXPECT_EQ(o.at("current_block").as_int64(), 100);
  EXPECT_EQ(o.at("status"), "running");
  EXPECT_EQ(o.at("progress_percentage").as_double(), 0.0);
  EXPECT_EQ(o.at("estimated_completion"), "2026-11-22T02:00:00.000005Z");
  EXPECT_TRUE(o.at("error_message").is_null());
  EXPECT_EQ(o.at("started_at"), "2026-11-22T01:00:00.000000Z");
  EXPECT_EQ(o.at("updated_at"), "2026-11-22T01:00:00.000000Z");
  EXPECT_TRUE(o.at("completed_at").is_null());
  EXPECT_EQ(o.at("created_by"), "ops");
  EXPECT_EQ(o.at("version").as_int64(), 1);
  EXPECT_EQ(o.at("stale"), true);
  EXPECT_EQ(to_json(job, kStart + minutes{1}).at("stale"), false);
  EXPECT_EQ(to_json(job, kStart + hours{1}, hours{2}).at("stale"), false);
}

TEST(BackfillJobJson, ReadsBackWhatItWrote) {
  BackfillJob job = apply_fail(running_job(), FailJob{"boom"}, kStart + seconds{9}).job;
  job.created_by.reset();
  const auto back = backfill_job_from_json(to_json(job, kStart));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, job);

  boost::json::object broken = to_json(job, kStart);
  broken["status"] = "finished";
  EXPECT_FALSE(backfill_job_from_json(broken).has_value());
  broken = to_json(job, kStart);
  broken.erase("version");
  EXPECT_FALSE(backfill_job_from_json(broken).has_value());
}

}  // namespace
}  // namespace utxoiq::domain
