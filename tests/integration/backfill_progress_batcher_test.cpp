// Progress reports on a real PostgreSQL (store/backfill_progress_batcher through PgBackfillJobs):
// reports sent together go out as one transaction (their jobs' rows share an xmin) and each is
// answered with its own job; several reports on one job in a batch get exactly the answers they
// get one after another (the later one wins, a report below the stored block gets 422, a stale
// expected_version 409, an unknown job 404) and leave the same row; a report the database refuses
// fails only its own request; the write listeners hear once per batch, each job once.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "pg/blocking_connection.hpp"
#include "pg/errors.hpp"
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

domain::ProgressUpdate report(const Uuid& job, std::int64_t block) {
  domain::ProgressUpdate u;
  u.job_id = job;
  u.current_block = block;
  return u;
}

class BackfillProgressBatcherTest : public ::testing::Test {
 protected:
  BackfillProgressBatcherTest() {
    jobs_.add_write_listener([this](std::vector<domain::BackfillJob> jobs) -> Task<void> {
      notices_.push_back(std::move(jobs));
      co_return;
    });
  }

  Uuid start(std::int64_t start_block, std::int64_t end_block) {
    domain::StartJob request;
    request.job_type = "blocks";
    request.start_block = start_block;
    request.end_block = end_block;
    return run_task(io_, jobs_.start(request)).id;
  }

  std::string one_value(const std::string& sql) { return db_.exec(sql).rows.at(0).at(0).value(); }

  boost::asio::io_context io_;
  std::string url_ = TestServers::get().create_migrated_database();
  pg::BlockingConnection db_{url_};
  pg::Pool pool_{io_.get_executor(), small_pool_options(url_)};
  store::PgBackfillJobs jobs_{pool_};
  std::vector<std::vector<domain::BackfillJob>> notices_;
};

TEST_F(BackfillProgressBatcherTest, ReportsSentTogetherAreOneTransactionEachAnsweredAlone) {
  std::vector<Uuid> ids;
  std::vector<domain::ProgressUpdate> reports;
  for (int i = 0; i < 40; ++i) {
    ids.push_back(start(0, 1000));
    reports.push_back(report(ids.back(), 10 + i));
  }
  notices_.clear();
  const auto outcomes = report_together(io_, jobs_, reports);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].answer);
    EXPECT_EQ(outcomes[i].answer->outcome, Outcome::applied);
    EXPECT_EQ(outcomes[i].answer->job.id, ids[i]);
    EXPECT_EQ(outcomes[i].answer->job.current_block, reports[i].current_block);
    EXPECT_EQ(outcomes[i].answer->job.version, 2);
  }
  EXPECT_EQ(one_value("SELECT sum(current_block) FROM backfill_jobs"),
            std::to_string(40 * 10 + 39 * 40 / 2));
  EXPECT_EQ(one_value("SELECT count(*) FROM backfill_jobs WHERE last_progress_at = updated_at"),
            "40");
  // The first report may go out alone (it starts the first batch); the other 39 arrive while it
  // is written and go together.
  EXPECT_LE(std::stoi(one_value("SELECT count(DISTINCT xmin::text) FROM backfill_jobs")), 2);
  ASSERT_LE(notices_.size(), 2u);
  std::size_t heard = 0;
  for (const auto& notice : notices_) heard += notice.size();
  EXPECT_EQ(heard, 40u);
}

TEST_F(BackfillProgressBatcherTest, ReportsOnOneJobInABatchAnswerAsOneAfterAnother) {
  const Uuid together = start(100, 200);
  const Uuid in_turn = start(100, 200);
  const Uuid unknown = new_uuid_v7();
  // Each sequence: applied, below the stored block (422), applied, a stale expected_version
  // (409), out of range (422), an unknown job (404), the current version (applied).
  auto sequence = [&](const Uuid& job) {
    std::vector<domain::ProgressUpdate> s{report(job, 120), report(job, 110), report(job, 150),
                                          report(job, 160), report(job, 201), report(unknown, 150),
                                          report(job, 150)};
    s[3].expected_version = 2;
    s[6].expected_version = 3;
    s[6].progress_percentage = 42.5;
    return s;
  };
  notices_.clear();
  const auto batched = report_together(io_, jobs_, sequence(together));
  ASSERT_EQ(notices_.size(), 1u);
  ASSERT_EQ(notices_[0].size(), 1u);
  EXPECT_EQ(notices_[0][0].version, 4);
  const auto alone = report_in_turn(io_, jobs_, sequence(in_turn));
  const std::vector<Outcome> expected{Outcome::applied,  Outcome::invalid, Outcome::applied,
                                      Outcome::conflict, Outcome::invalid, Outcome::not_found,
                                      Outcome::applied};
  ASSERT_EQ(batched.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    ASSERT_TRUE(batched[i].answer);
    ASSERT_TRUE(alone[i].answer);
    const auto& b = *batched[i].answer;
    const auto& a = *alone[i].answer;
    EXPECT_EQ(b.outcome, expected[i]);
    EXPECT_EQ(b.outcome, a.outcome);
    EXPECT_EQ(b.detail, a.detail);
    EXPECT_EQ(b.errors, a.errors);
    EXPECT_EQ(b.job.current_block, a.job.current_block);
    EXPECT_EQ(b.job.version, a.job.version);
    EXPECT_EQ(b.job.progress_percentage, a.job.progress_percentage);
  }
  EXPECT_EQ(batched[6].answer->job.version, 4);
  EXPECT_EQ(batched[6].answer->job.progress_percentage, 42.5);
  // Both jobs hold what the last applied report left, written once for the batch.
  const auto row = [&](const Uuid& id) {
    return one_value(
        "SELECT current_block || ' ' || version || ' ' || progress_percentage FROM "
        "backfill_jobs WHERE id = '" +
        id.to_string() + "'");
  };
  EXPECT_EQ(row(together), "150 4 42.5");
  EXPECT_EQ(row(in_turn), row(together));
}

TEST_F(BackfillProgressBatcherTest, EndedAndPausedJobsRefuseInABatchAsAlone) {
  const Uuid running = start(0, 10);
  const Uuid paused = start(0, 10);
  const Uuid completed = start(0, 10);
  run_task(io_, jobs_.pause(paused));
  run_task(io_, jobs_.complete(completed));
  const auto outcomes =
      report_together(io_, jobs_, {report(paused, 5), report(running, 5), report(completed, 5)});
  EXPECT_EQ(outcomes[0].answer->outcome, Outcome::conflict);
  EXPECT_EQ(outcomes[0].answer->detail, "cannot progress a job that is paused");
  EXPECT_EQ(outcomes[1].answer->outcome, Outcome::applied);
  EXPECT_EQ(outcomes[2].answer->outcome, Outcome::conflict);
  EXPECT_EQ(outcomes[2].answer->detail, "cannot progress a job that is completed");
  EXPECT_EQ(one_value("SELECT string_agg(status || ':' || current_block, ',' ORDER BY status) "
                      "FROM backfill_jobs"),
            "completed:10,paused:0,running:5");
}

TEST_F(BackfillProgressBatcherTest, AReportTheDatabaseRefusesFailsOnlyItsOwnRequest) {
  const Uuid a = start(0, 100);
  const Uuid b = start(0, 100);
  const Uuid c = start(0, 100);
  // The API refuses a percentage above 100 before; the table's CHECK is the last guard.
  auto bad = report(b, 50);
  bad.progress_percentage = 150;
  const auto outcomes = report_together(io_, jobs_, {report(a, 10), bad, report(c, 30)});
  ASSERT_TRUE(outcomes[0].answer);
  ASSERT_TRUE(outcomes[2].answer);
  EXPECT_EQ(outcomes[0].answer->outcome, Outcome::applied);
  EXPECT_EQ(outcomes[2].answer->outcome, Outcome::applied);
  ASSERT_TRUE(outcomes[1].error);
  try {
    std::rethrow_exception(outcomes[1].error);
  } catch (const pg::QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "23514");
  }
  EXPECT_EQ(one_value("SELECT string_agg(current_block::text, ',' ORDER BY current_block) FROM "
                      "backfill_jobs"),
            "0,10,30");
}

}  // namespace
}  // namespace utxoiq::testing
