// Requirement 1 (backfill jobs persist), acceptance criteria 1-4, and the life-cycle rules of
// api.md "Backfill jobs": start, progress (explicit and computed), complete, fail, pause/resume,
// optimistic locking, immutability of ended jobs, block range checks and `stale` — each checked
// through the HTTP API and against the backfill_jobs table.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "support/api_helpers.hpp"
#include "support/service_under_test.hpp"
#include "util/rfc3339.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {
namespace {

namespace json = boost::json;

const std::string kBackfill = "/api/v1/monitoring/backfill";
constexpr std::string_view kEmptyObject = "{}";

std::string job_path(const json::object& job, const std::string& action = "") {
  return kBackfill + "/" + std::string(job.at("id").as_string()) + action;
}

json::object progress_body(const json::object& job, std::int64_t current_block) {
  return {{"job_id", job.at("id")}, {"current_block", current_block}};
}

Timestamp time_of(const json::value& value) {
  const auto parsed = parse_rfc3339(value.as_string());
  if (!parsed) throw std::runtime_error("not a timestamp: " + json::serialize(value));
  return *parsed;
}

class BackfillLifecycle : public ::testing::Test {
 protected:
  // The row as the table holds it, for checks that the API wrote what it answered.
  std::string column(const json::object& job, const std::string& name) {
    return sql_value(service_.database_url(), "SELECT " + name +
                                                  "::text FROM backfill_jobs "
                                                  "WHERE id = '" +
                                                  std::string(job.at("id").as_string()) + "'")
        .value_or("NULL");
  }

  static ServiceUnderTestOptions stall_after_one_minute() {
    ServiceUnderTestOptions options;
    options.configure = [](app::ServeConfig& c) { c.backfill_stall_minutes = 1; };
    return options;
  }

  ServiceUnderTest service_{stall_after_one_minute()};
  HttpClient client_ = service_.client();
};

TEST_F(BackfillLifecycle, StartCreatesARunningRecord) {
  const auto response = client_.post(
      kBackfill + "/start",
      json::object{
          {"job_type", "blocks"}, {"start_block", 100}, {"end_block", 200}, {"created_by", "ops"}});
  ASSERT_EQ(response.status, 201) << response.body;
  const auto job = response.json().as_object();
  const auto id = Uuid::parse(job.at("id").as_string());
  ASSERT_TRUE(id);
  EXPECT_EQ(id->version(), 7);
  EXPECT_EQ(job.at("status").as_string(), "running");
  EXPECT_EQ(job.at("current_block").as_int64(), 100);
  EXPECT_EQ(job.at("progress_percentage").as_double(), 0.0);
  EXPECT_EQ(job.at("version").as_int64(), 1);
  EXPECT_EQ(job.at("created_by").as_string(), "ops");
  EXPECT_TRUE(job.at("completed_at").is_null());
  EXPECT_TRUE(job.at("error_message").is_null());
  EXPECT_FALSE(job.at("stale").as_bool());
  EXPECT_EQ(job.at("started_at"), job.at("updated_at"));

  EXPECT_EQ(column(job, "status"), "running");
  EXPECT_EQ(column(job, "current_block"), "100");
  EXPECT_EQ(column(job, "job_type"), "blocks");
}

TEST_F(BackfillLifecycle, ProgressStoresTheGivenPercentageAndEstimate) {
  const auto job = start_job(client_, "blocks", 0, 1000);
  auto body = progress_body(job, 400);
  body["progress_percentage"] = 41.5;
  body["estimated_completion"] = "2030-01-02T03:04:05.5+01:00";
  const auto updated = post_ok(client_, kBackfill + "/progress", body);
  EXPECT_EQ(updated.at("current_block").as_int64(), 400);
  EXPECT_EQ(updated.at("progress_percentage").as_double(), 41.5);
  EXPECT_EQ(updated.at("estimated_completion").as_string(), "2030-01-02T02:04:05.500000Z");
  EXPECT_EQ(updated.at("version").as_int64(), 2);

  // Read back: the stored job is the one answered (criterion 2: visible at once).
  const auto read = get_ok(client_, job_path(job));
  EXPECT_EQ(read.at("progress_percentage").as_double(), 41.5);
  EXPECT_EQ(read.at("estimated_completion").as_string(), "2030-01-02T02:04:05.500000Z");
  EXPECT_EQ(column(job, "progress_percentage"), "41.5");
}

TEST_F(BackfillLifecycle, ProgressIsComputedFromBlocksAndTheEstimateFromTheRate) {
  const auto job = start_job(client_, "blocks", 100, 300);
  const auto updated = post_ok(client_, kBackfill + "/progress", progress_body(job, 150));
  EXPECT_DOUBLE_EQ(updated.at("progress_percentage").as_double(), 25.0);
  // 50 of 200 blocks done since the start: the rest, at the same rate, takes three times as
  // long again, so the estimate lies after the update (never before it).
  ASSERT_FALSE(updated.at("estimated_completion").is_null()) << json::serialize(updated);
  const Timestamp estimate = time_of(updated.at("estimated_completion"));
  const Timestamp started = time_of(updated.at("started_at"));
  const Timestamp now = time_of(updated.at("updated_at"));
  EXPECT_GE(estimate, now);
  EXPECT_EQ(estimate - now, (now - started) * 3);
}

TEST_F(BackfillLifecycle, ProgressMayRepeatTheBlockAndReachTheEndWhileStillRunning) {
  const auto job = start_job(client_, "blocks", 10, 20);
  EXPECT_EQ(post_ok(client_, kBackfill + "/progress", progress_body(job, 10))
                .at("progress_percentage")
                .as_double(),
            0.0);
  const auto at_end = post_ok(client_, kBackfill + "/progress", progress_body(job, 20));
  EXPECT_EQ(at_end.at("progress_percentage").as_double(), 100.0);
  EXPECT_EQ(at_end.at("status").as_string(), "running");
  EXPECT_EQ(at_end.at("estimated_completion"), at_end.at("updated_at"));
}

TEST_F(BackfillLifecycle, AOneBlockRangeIsAHundredPercentAtOnce) {
  const auto job = start_job(client_, "blocks", 5, 5);
  const auto updated = post_ok(client_, kBackfill + "/progress", progress_body(job, 5));
  EXPECT_EQ(updated.at("progress_percentage").as_double(), 100.0);
}

TEST_F(BackfillLifecycle, BlockNumbersAre64Bit) {
  const std::int64_t big = 9'000'000'000'000'000'000;
  const auto job = start_job(client_, "blocks", big, big + 100);
  const auto updated = post_ok(client_, kBackfill + "/progress", progress_body(job, big + 50));
  EXPECT_EQ(updated.at("current_block").as_int64(), big + 50);
  EXPECT_DOUBLE_EQ(updated.at("progress_percentage").as_double(), 50.0);
}

TEST_F(BackfillLifecycle, CompleteRecordsTheCompletionTime) {
  const auto job = start_job(client_, "blocks", 0, 500);
  post_ok(client_, kBackfill + "/progress", progress_body(job, 200));
  const auto done = post_ok(client_, job_path(job, "/complete"), {});
  EXPECT_EQ(done.at("status").as_string(), "completed");
  EXPECT_EQ(done.at("current_block").as_int64(), 500);
  EXPECT_EQ(done.at("progress_percentage").as_double(), 100.0);
  ASSERT_TRUE(done.at("completed_at").is_string());
  EXPECT_EQ(done.at("completed_at"), done.at("updated_at"));
  EXPECT_EQ(done.at("version").as_int64(), 3);
  EXPECT_EQ(column(job, "status"), "completed");
  EXPECT_NE(column(job, "completed_at"), "NULL");
}

TEST_F(BackfillLifecycle, FailStoresTheErrorMessageAndWhenItEnded) {
  const auto job = start_job(client_);
  const auto failed =
      post_ok(client_, job_path(job, "/fail"), {{"error_message", "node unreachable: ✗"}});
  EXPECT_EQ(failed.at("status").as_string(), "failed");
  EXPECT_EQ(failed.at("error_message").as_string(), "node unreachable: ✗");
  EXPECT_TRUE(failed.at("completed_at").is_string());
  EXPECT_EQ(column(job, "status"), "failed");
  EXPECT_EQ(column(job, "error_message"), "node unreachable: ✗");
}

TEST_F(BackfillLifecycle, EndedJobsCannotChangeAnyMore) {
  const auto completed = start_job(client_);
  post_ok(client_, job_path(completed, "/complete"), {});
  const auto failed = start_job(client_);
  post_ok(client_, job_path(failed, "/fail"), {{"error_message", "boom"}});

  for (const auto* job : {&completed, &failed}) {
    const std::string version = column(*job, "version");
    EXPECT_EQ(client_.post(kBackfill + "/progress", progress_body(*job, 10)).status, 409);
    EXPECT_EQ(client_.post(job_path(*job, "/complete"), kEmptyObject).status, 409);
    EXPECT_EQ(
        client_.post(job_path(*job, "/fail"), std::string_view(R"({"error_message":"x"})")).status,
        409);
    EXPECT_EQ(client_.post(job_path(*job, "/pause"), kEmptyObject).status, 409);
    EXPECT_EQ(client_.post(job_path(*job, "/resume"), kEmptyObject).status, 409);
    EXPECT_EQ(column(*job, "version"), version) << "a refused change was written";
  }
}

TEST_F(BackfillLifecycle, PauseAndResumeSwitchRunningAndPaused) {
  const auto job = start_job(client_);
  EXPECT_EQ(post_ok(client_, job_path(job, "/pause"), {}).at("status").as_string(), "paused");
  const auto conflict = client_.post(kBackfill + "/progress", progress_body(job, 10));
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(client_.post(job_path(job, "/pause"), kEmptyObject).status, 409);
  EXPECT_EQ(column(job, "status"), "paused");

  EXPECT_EQ(post_ok(client_, job_path(job, "/resume"), {}).at("status").as_string(), "running");
  EXPECT_EQ(client_.post(job_path(job, "/resume"), kEmptyObject).status, 409);
  EXPECT_EQ(
      post_ok(client_, kBackfill + "/progress", progress_body(job, 10)).at("version").as_int64(),
      4);
}

TEST_F(BackfillLifecycle, APausedJobCanBeCompletedOrFailed) {
  const auto job = start_job(client_);
  post_ok(client_, job_path(job, "/pause"), {});
  EXPECT_EQ(post_ok(client_, job_path(job, "/complete"), {}).at("status").as_string(), "completed");
}

TEST_F(BackfillLifecycle, CurrentBlockMustStayInRangeAndNeverGoBack) {
  const auto job = start_job(client_, "blocks", 100, 200);
  post_ok(client_, kBackfill + "/progress", progress_body(job, 150));
  for (const std::int64_t block : {99, 201, 149, 0}) {
    const auto response = client_.post(kBackfill + "/progress", progress_body(job, block));
    EXPECT_EQ(response.status, 422) << block;
    EXPECT_EQ(response.error_fields(), std::vector<std::string>{"current_block"}) << block;
  }
  EXPECT_EQ(column(job, "current_block"), "150");
  EXPECT_EQ(column(job, "version"), "2");
}

TEST_F(BackfillLifecycle, ExpectedVersionIsOptimisticLocking) {
  const auto job = start_job(client_);
  auto stale = progress_body(job, 10);
  stale["expected_version"] = 2;
  EXPECT_EQ(client_.post(kBackfill + "/progress", stale).status, 409);
  EXPECT_EQ(column(job, "version"), "1");

  auto current = progress_body(job, 10);
  current["expected_version"] = 1;
  EXPECT_EQ(post_ok(client_, kBackfill + "/progress", current).at("version").as_int64(), 2);
  // The same expected_version again is now out of date.
  EXPECT_EQ(client_.post(kBackfill + "/progress", current).status, 409);
}

TEST_F(BackfillLifecycle, VersionGrowsByOneWithEveryChange) {
  const auto job = start_job(client_);
  std::int64_t expected = 1;
  EXPECT_EQ(job.at("version").as_int64(), expected);
  EXPECT_EQ(post_ok(client_, kBackfill + "/progress", progress_body(job, 1)).at("version"),
            ++expected);
  EXPECT_EQ(post_ok(client_, job_path(job, "/pause"), {}).at("version"), ++expected);
  EXPECT_EQ(post_ok(client_, job_path(job, "/resume"), {}).at("version"), ++expected);
  EXPECT_EQ(post_ok(client_, job_path(job, "/complete"), {}).at("version"), ++expected);
  EXPECT_EQ(get_ok(client_, job_path(job)).at("version"), expected);
}

TEST_F(BackfillLifecycle, GetAnswersTheJobOr404) {
  const auto job = start_job(client_);
  EXPECT_EQ(get_ok(client_, job_path(job)).at("id"), job.at("id"));
  const auto missing = client_.get(kBackfill + "/" + new_uuid_v7().to_string());
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(
      client_.post(kBackfill + "/" + new_uuid_v7().to_string() + "/complete", kEmptyObject).status,
      404);
}

TEST_F(BackfillLifecycle, ARunningJobWithoutProgressBeyondTheStallTimeIsStale) {
  const auto running = start_job(client_);
  const auto paused = start_job(client_);
  post_ok(client_, job_path(paused, "/pause"), {});
  // The stall time is 1 minute here: move both jobs' last change 2 minutes back.
  sql_exec(service_.database_url(),
           "UPDATE backfill_jobs SET updated_at = updated_at - interval '2 minutes', "
           "started_at = started_at - interval '2 minutes'");
  EXPECT_TRUE(get_ok(client_, job_path(running)).at("stale").as_bool());
  EXPECT_FALSE(get_ok(client_, job_path(paused)).at("stale").as_bool()) << "only running jobs";

  const auto listed = get_ok(client_, kBackfill + "/status?status=running");
  ASSERT_EQ(listed.at("jobs").as_array().size(), 1u);
  EXPECT_TRUE(listed.at("jobs").as_array()[0].as_object().at("stale").as_bool());

  // Progress makes it fresh again.
  EXPECT_FALSE(
      post_ok(client_, kBackfill + "/progress", progress_body(running, 5)).at("stale").as_bool());
}

}  // namespace
}  // namespace utxoiq::testing
