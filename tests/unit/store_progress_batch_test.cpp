// The progress batch's pure half (store/internal/progress_batch.hpp): the reports of a batch are
// applied in arrival order, each on its job as the reports before it left it; a report on a job
// that was not locked (none with that id) is not_found; a change is never dated before the
// job's updated_at; each changed job comes out once, by id, and the UPDATE's arrays carry NULL
// for an absent estimate.
#include "store/internal/progress_batch.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "domain/backfill_rules.hpp"
#include "util/rfc3339.hpp"

namespace utxoiq::store::detail {
namespace {

using Outcome = JobWrite::Outcome;

Timestamp at(const char* text) {
  return parse_rfc3339(text).value();
}

domain::BackfillJob job(const char* id, std::int64_t start, std::int64_t end) {
  domain::StartJob request;
  request.job_type = "blocks";
  request.start_block = start;
  request.end_block = end;
  return domain::new_backfill_job(request, Uuid::parse(id).value(), at("2026-12-01T00:00:00Z"));
}

domain::ProgressUpdate report(const domain::BackfillJob& j, std::int64_t block) {
  domain::ProgressUpdate u;
  u.job_id = j.id;
  u.current_block = block;
  return u;
}

const char* kA = "01900000-0000-7000-8000-00000000000a";
const char* kB = "01900000-0000-7000-8000-00000000000b";
const char* kC = "01900000-0000-7000-8000-00000000000c";

TEST(ProgressBatch, ReportsOnOneJobApplyInArrivalOrder) {
  const auto a = job(kA, 0, 100);
  const std::vector<domain::ProgressUpdate> reports{report(a, 10), report(a, 5), report(a, 30)};
  const auto outcome = apply_progress_batch(std::vector{a}, reports, at("2026-12-01T01:00:00Z"));
  ASSERT_EQ(outcome.answers.size(), 3u);
  EXPECT_EQ(outcome.answers[0].outcome, Outcome::applied);
  EXPECT_EQ(outcome.answers[0].job.version, 2);
  EXPECT_EQ(outcome.answers[1].outcome, Outcome::invalid);  // below the 10 of the first
  EXPECT_EQ(outcome.answers[2].outcome, Outcome::applied);
  EXPECT_EQ(outcome.answers[2].job.version, 3);
  ASSERT_EQ(outcome.changed.size(), 1u);
  EXPECT_EQ(outcome.changed[0].current_block, 30);
  EXPECT_EQ(outcome.changed[0].version, 3);
}

TEST(ProgressBatch, AnUnlockedJobIsNotFoundAndUnchangedJobsAreNotWritten) {
  const auto a = job(kA, 0, 100);
  const auto b = job(kB, 0, 100);
  const auto c = job(kC, 0, 100);
  // c was locked but its report is refused; b was not locked (no such job).
  const std::vector<domain::ProgressUpdate> reports{report(c, 500), report(b, 1), report(a, 1)};
  const auto outcome = apply_progress_batch(std::vector{c, a}, reports, at("2026-12-01T01:00:00Z"));
  EXPECT_EQ(outcome.answers[0].outcome, Outcome::invalid);
  EXPECT_EQ(outcome.answers[1].outcome, Outcome::not_found);
  EXPECT_EQ(outcome.answers[2].outcome, Outcome::applied);
  ASSERT_EQ(outcome.changed.size(), 1u);
  EXPECT_EQ(outcome.changed[0].id, a.id);
}

TEST(ProgressBatch, ChangedJobsComeOutById) {
  const auto a = job(kA, 0, 100);
  const auto b = job(kB, 0, 100);
  const auto outcome = apply_progress_batch(
      std::vector{b, a}, std::vector{report(b, 1), report(a, 1)}, at("2026-12-01T01:00:00Z"));
  ASSERT_EQ(outcome.changed.size(), 2u);
  EXPECT_EQ(outcome.changed[0].id, a.id);
  EXPECT_EQ(outcome.changed[1].id, b.id);
}

TEST(ProgressBatch, AChangeIsNeverDatedBeforeTheJobsLastChange) {
  auto a = job(kA, 0, 100);
  a.updated_at = at("2026-12-02T00:00:00Z");  // written by an instance whose clock is ahead
  const auto outcome =
      apply_progress_batch(std::vector{a}, std::vector{report(a, 1)}, at("2026-12-01T01:00:00Z"));
  EXPECT_EQ(outcome.answers[0].job.updated_at, a.updated_at);
}

TEST(ProgressBatch, TheUpdateCarriesNullForAnAbsentEstimate) {
  auto a = job(kA, 0, 100);
  a.current_block = 5;
  a.estimated_completion.reset();
  a.version = 7;
  const auto statement = progress_update(std::vector{a});
  ASSERT_EQ(statement.params.size(), 6u);
  EXPECT_EQ(statement.params[0], "{\"" + a.id.to_string() + "\"}");
  EXPECT_EQ(statement.params[1], "{\"5\"}");
  EXPECT_EQ(statement.params[3], "{NULL}");
  EXPECT_EQ(statement.params[5], "{\"7\"}");
  EXPECT_EQ(statement.tag.method, "progress");
}

}  // namespace
}  // namespace utxoiq::store::detail
