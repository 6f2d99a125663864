// Retention (issue 13) on the real PostgreSQL, with rows inserted at old timestamps: the dry run
// counts what the real run then archives and deletes; the archives hold exactly the deleted rows;
// a running job and every in-window row stay; the metric partition wholly older than the cutoff
// is dropped and the straddling one handled by rows; feedback statistics stay exact; a corrupted
// archive deletes nothing and fails the run; a second run at once is refused; restore
// round-trips; cold archives are removed and audited.
#include "ops/retention.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "obs/metrics.hpp"
#include "ops/directory_archive_sink.hpp"
#include "ops/partitions.hpp"
#include "ops/retention_metrics.hpp"
#include "ops/retention_restore.hpp"
#include "pg/blocking_connection.hpp"
#include "support/metric_fixtures.hpp"
#include "support/retention_fixtures.hpp"
#include "support/sql_probe.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

using namespace std::chrono;

const char* kJobsExpired =
    "started_at < now() - interval '180 days' AND status IN ('completed', 'failed')";
const char* kFeedbackExpired = "updated_at < now() - interval '730 days'";
const char* kMetricsExpired = "\"timestamp\" < now() - interval '90 days'";

struct Fixture {
  std::string url = TestServers::get().create_migrated_database();
  std::filesystem::path dir = make_temp_dir("retention");
  ops::DirectoryArchiveSink sink{dir};
  RetentionSeed seed = seed_retention_data(url, now_utc());

  ops::RetentionReport run(ops::RetentionOptions options = {}) {
    options.now = seed.now;
    return ops::run_retention(url, sink, options);
  }
};

const ops::PolicyReport& policy(const ops::RetentionReport& report, const std::string& table) {
  for (const auto& p : report.policies) {
    if (p.table == table) return p;
  }
  throw std::out_of_range(table);
}

double gauge(const std::string& name) {
  return exposition_value(obs::default_registry().expose(), name);
}

TEST(Retention, DryRunCountsWhatTheRealRunArchivesAndDeletesExactly) {
  Fixture f;
  const auto jobs = row_texts(f.url, "backfill_jobs", kJobsExpired);
  const auto feedback = row_texts(f.url, "insight_feedback", kFeedbackExpired);
  const auto metrics = row_texts(f.url, "system_metrics", kMetricsExpired);
  const auto all_jobs = row_texts(f.url, "backfill_jobs");
  ASSERT_EQ(jobs.size(), 5u);
  ASSERT_EQ(metrics.size(), 9u);

  ops::RetentionOptions dry_options;
  dry_options.dry_run = true;
  const auto dry = f.run(dry_options);
  ASSERT_EQ(dry.status, "succeeded") << dry.error;
  EXPECT_EQ(row_texts(f.url, "backfill_jobs"), all_jobs);  // a dry run changes nothing
  ops::RetentionOptions small_steps;
  small_steps.chunk_rows = 3;  // several archives per table, several batches per archive
  small_steps.delete_batch = 2;
  const auto real = f.run(small_steps);
  ASSERT_EQ(real.status, "succeeded") << real.error;
  for (const auto& table : {"backfill_jobs", "insight_feedback", "system_metrics"}) {
    EXPECT_EQ(policy(dry, table).archived, policy(real, table).archived) << table;
    EXPECT_EQ(policy(dry, table).deleted, policy(real, table).deleted) << table;
    EXPECT_EQ(policy(real, table).archived, policy(real, table).deleted) << table;
  }
  EXPECT_EQ(policy(real, "backfill_jobs").deleted, 5);
  EXPECT_EQ(policy(real, "insight_feedback").deleted, 7);
  EXPECT_EQ(policy(real, "system_metrics").deleted, 9);
  EXPECT_EQ(policy(real, "system_metrics").partitions_dropped, 1);

  // The archives hold exactly the deleted rows, by content, each once.
  const auto as_multiset = [](const std::set<std::string>& s) {
    return std::multiset<std::string>(s.begin(), s.end());
  };
  EXPECT_EQ(archived_rows(f.dir, "backfill_jobs"), as_multiset(jobs));
  EXPECT_EQ(archived_rows(f.dir, "insight_feedback"), as_multiset(feedback));
  EXPECT_EQ(archived_rows(f.dir, "system_metrics"), as_multiset(metrics));
  EXPECT_TRUE(row_texts(f.url, "backfill_jobs", kJobsExpired).empty());
  EXPECT_TRUE(row_texts(f.url, "system_metrics", kMetricsExpired).empty());
  // Kept: the old running and paused jobs, everything in the window.
  EXPECT_EQ(sql_count(f.url, "SELECT count(*) FROM backfill_jobs"), 3);
  EXPECT_EQ(sql_count(f.url, "SELECT count(*) FROM backfill_jobs WHERE status = 'running'"), 1);
  EXPECT_EQ(sql_count(f.url, "SELECT count(*) FROM insight_feedback"), 3);
  EXPECT_EQ(sql_count(f.url, "SELECT count(*) FROM system_metrics"), 2);
  EXPECT_TRUE(feedback_stats_exact(f.url));
  // Partitions: the wholly expired day is gone, the straddling one stays.
  pg::BlockingConnection db(f.url);
  const auto cutoff_day = floor<days>(f.seed.now - days{90});
  std::vector<std::string> names;
  for (const auto& p : ops::list_metric_partitions(db)) names.push_back(p.name);
  EXPECT_EQ(std::count(names.begin(), names.end(), ops::day_partition_name(cutoff_day)), 1);
  EXPECT_EQ(std::count(names.begin(), names.end(), ops::day_partition_name(cutoff_day - days{1})),
            0);
  // Audited: both runs, with their policies.
  EXPECT_EQ(sql_count(f.url, "SELECT count(*) FROM retention_runs WHERE status = 'succeeded'"), 2);
  EXPECT_EQ(
      sql_value(f.url, "SELECT policies->2->>'deleted' FROM retention_runs WHERE NOT dry_run"),
      "9");
  EXPECT_EQ(sql_count(f.url, "SELECT count(*) FROM retention_archives WHERE state <> 'deleted'"),
            0);
  EXPECT_GT(gauge("utxoiq_retention_last_success_timestamp_seconds"), 0);
  EXPECT_EQ(gauge("utxoiq_retention_last_run_failed"), 0);
}

TEST(Retention, ACorruptedArchiveDeletesNothingAndFailsTheRun) {
  Fixture f;
  const auto before = row_texts(f.url, "backfill_jobs");
  ops::RetentionOptions options;
  options.on_stage = [&](std::string_view stage, const std::string& name) {
    if (stage != "written") return;
    const auto path = f.sink.path_of(name);
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(10);
    char byte = 0;
    file.read(&byte, 1);
    file.seekp(10);
    byte = static_cast<char>(byte ^ 0x40);
    file.write(&byte, 1);
  };
  const auto report = f.run(options);
  EXPECT_EQ(report.status, "failed");
  EXPECT_NE(report.error.find("SHA-256"), std::string::npos) << report.error;
  EXPECT_EQ(row_texts(f.url, "backfill_jobs"), before);
  EXPECT_EQ(sql_count(f.url, "SELECT count(*) FROM insight_feedback"), 10);
  EXPECT_EQ(sql_value(f.url, "SELECT status FROM retention_runs"), "failed");
  EXPECT_EQ(sql_value(f.url, "SELECT state FROM retention_archives"), "failed");
  EXPECT_TRUE(archived_rows(f.dir, "backfill_jobs").empty());  // the bad file is removed
  EXPECT_EQ(gauge("utxoiq_retention_last_run_failed"), 1);
  // What UtxoiqRetentionRunFailed compares (deploy/prometheus/retention_rules.yml).
  EXPECT_GT(gauge("utxoiq_retention_last_failure_timestamp_seconds"),
            gauge("utxoiq_retention_last_success_timestamp_seconds"));

  // A truncated archive: the same.
  Fixture g;
  options.on_stage = [&](std::string_view stage, const std::string& name) {
    if (stage == "written") std::filesystem::resize_file(g.sink.path_of(name), 5);
  };
  EXPECT_EQ(g.run(options).status, "failed");
  EXPECT_EQ(sql_count(g.url, "SELECT count(*) FROM backfill_jobs"), 8);
  // The next run without damage succeeds and the alert clears.
  EXPECT_EQ(g.run().status, "succeeded");
  EXPECT_EQ(gauge("utxoiq_retention_last_run_failed"), 0);
}

TEST(Retention, AStoppedRunEndsBetweenArchivesAndTheNextOneGoesOn) {
  Fixture f;
  const auto metrics = row_texts(f.url, "system_metrics", kMetricsExpired);
  ops::RetentionOptions options;
  options.chunk_rows = 2;
  int verified = 0;
  options.on_stage = [&](std::string_view stage, const std::string&) {
    if (stage == "verified") ++verified;
  };
  options.should_stop = [&] { return verified >= 2; };
  const auto stopped = f.run(options);
  EXPECT_EQ(stopped.status, "failed");
  EXPECT_NE(stopped.error.find("stopped"), std::string::npos) << stopped.error;
  EXPECT_EQ(verified, 2);
  EXPECT_FALSE(row_texts(f.url, "insight_feedback", kFeedbackExpired).empty());
  const auto next = f.run();
  ASSERT_EQ(next.status, "succeeded") << next.error;
  EXPECT_EQ(archived_rows(f.dir, "system_metrics"),
            std::multiset<std::string>(metrics.begin(), metrics.end()));
  EXPECT_TRUE(row_texts(f.url, "insight_feedback", kFeedbackExpired).empty());
  EXPECT_EQ(sql_count(f.url, "SELECT count(*) FROM backfill_jobs"), 3);
}

TEST(Retention, ASecondRunAtTheSameTimeIsRefused) {
  Fixture f;
  pg::BlockingConnection other(f.url);
  other.exec("SELECT pg_advisory_lock(" + std::to_string(ops::kRetentionLockKey) + ")");
  EXPECT_THROW(f.run(), ops::RetentionBusy);
  EXPECT_EQ(sql_count(f.url, "SELECT count(*) FROM retention_runs"), 0);
}

// The lock is free the moment a run returns, not when its session's backend gets round to exiting:
// the next run (the scheduler's, or an operator's after a dry run) must never be refused as busy.
TEST(Retention, TheLockIsFreeAsSoonAsARunEnds) {
  Fixture f;
  pg::BlockingConnection other(f.url);  // already connected: it asks within microseconds
  const std::string key = std::to_string(ops::kRetentionLockKey);
  for (int i = 0; i < 10; ++i) {
    ops::RetentionOptions dry;
    dry.dry_run = true;
    ASSERT_EQ(f.run(dry).status, "succeeded");
    const auto got = other.exec("SELECT pg_try_advisory_lock(" + key + ")");
    ASSERT_EQ(got.rows.at(0).at(0), "t") << "still held after the run ended, round " << i;
    other.exec("SELECT pg_advisory_unlock(" + key + ")");
  }
  // Also when the run fails before it has an audit row to finish.
  other.exec("ALTER TABLE retention_runs RENAME TO retention_runs_away");
  for (int i = 0; i < 25; ++i) {
    ASSERT_EQ(f.run().status, "failed");
    const auto got = other.exec("SELECT pg_try_advisory_lock(" + key + ")");
    ASSERT_EQ(got.rows.at(0).at(0), "t") << "still held after the failed run, round " << i;
    other.exec("SELECT pg_advisory_unlock(" + key + ")");
  }
  other.exec("ALTER TABLE retention_runs_away RENAME TO retention_runs");
}

TEST(Retention, RestoreLoadsAnArchiveBackIntoItsTableOrAScratchTable) {
  Fixture f;
  const auto feedback = row_texts(f.url, "insight_feedback", kFeedbackExpired);
  ASSERT_EQ(f.run().status, "succeeded");
  const auto uri = sql_value(
      f.url, "SELECT archive_uri FROM retention_archives WHERE table_name = 'insight_feedback'");
  ASSERT_TRUE(uri && uri->starts_with("file://"));
  const std::filesystem::path archive = uri->substr(7);
  const auto scratch = ops::restore_archive(f.url, archive, "feedback_scratch");
  EXPECT_EQ(scratch.rows, 7);
  EXPECT_EQ(row_texts(f.url, "feedback_scratch"), feedback);
  const auto back = ops::restore_archive(f.url, archive, std::nullopt);
  EXPECT_EQ(back.table, "insight_feedback");
  EXPECT_EQ(row_texts(f.url, "insight_feedback", kFeedbackExpired), feedback);
  EXPECT_TRUE(feedback_stats_exact(f.url));
  EXPECT_THROW(ops::restore_archive(f.url, archive, "Bad-Name"), ops::RestoreArgumentError);
}

TEST(Retention, MetricArchivesOlderThanTheColdPeriodAreRemovedAndAudited) {
  Fixture f;
  ASSERT_EQ(f.run().status, "succeeded");
  ASSERT_FALSE(archived_rows(f.dir, "system_metrics").empty());
  sql_exec(f.url, "UPDATE retention_archives SET created_at = now() - interval '366 days'");
  const auto report = f.run();
  ASSERT_EQ(report.status, "succeeded") << report.error;
  EXPECT_GT(report.cold_archives_removed, 0);
  EXPECT_TRUE(archived_rows(f.dir, "system_metrics").empty());
  EXPECT_FALSE(archived_rows(f.dir, "insight_feedback").empty());
  EXPECT_EQ(sql_count(f.url,
                      "SELECT count(*) FROM retention_archives WHERE table_name = "
                      "'system_metrics' AND (state <> 'removed' OR removed_at IS NULL)"),
            0);
}

}  // namespace
}  // namespace utxoiq::testing
