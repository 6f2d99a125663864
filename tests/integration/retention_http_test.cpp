// The retention routes and commands on the whole service and the real binary: POST .../run (dry
// and real give the same counts), GET .../runs pages the audit trail, a run while another holds
// the lock is 409, bad input is 422 naming every invalid field and records nothing, only admin
// keys may use them; the metrics the alert rules use exist before the first run; `retention run
// --dry-run | runs | restore` of the binary.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <thread>

#include "app/retention_service.hpp"
#include "ops/retention.hpp"
#include "pg/blocking_connection.hpp"
#include "support/api_helpers.hpp"
#include "support/cli_runner.hpp"
#include "support/metric_fixtures.hpp"
#include "support/retention_fixtures.hpp"
#include "support/service_under_test.hpp"
#include "support/sql_probe.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {
namespace {

constexpr const char* kRun = "/api/v1/monitoring/retention/run";
constexpr const char* kRuns = "/api/v1/monitoring/retention/runs";

ServiceUnderTestOptions with_archive_dir(const std::filesystem::path& dir) {
  ServiceUnderTestOptions options;
  options.configure = [dir](app::ServeConfig& config) { config.retention.archive_dir = dir; };
  return options;
}

std::int64_t deleted_of(const boost::json::value& run, std::size_t policy) {
  return run.at("policies").at(policy).at("deleted").as_int64();
}

TEST(RetentionHttp, TheAlertMetricsExistBeforeTheFirstRun) {
  ServiceUnderTest service(with_archive_dir(make_temp_dir("retention-http")));
  const auto metrics = service.client().get("/metrics").body;
  for (const auto* name :
       {"utxoiq_retention_last_success_timestamp_seconds", "utxoiq_retention_last_run_failed",
        "utxoiq_retention_failures_total", "utxoiq_retention_rows_deleted_total",
        "utxoiq_retention_last_failure_timestamp_seconds"}) {
    EXPECT_NE(metrics.find(name), std::string::npos) << name;
  }
}

TEST(RetentionHttp, TheAlertTimestampsAreLoadedFromTheAuditTrailAtStart) {
  auto options = with_archive_dir(make_temp_dir("retention-http"));
  options.database_url = TestServers::get().create_migrated_database();
  sql_exec(options.database_url,
           "INSERT INTO retention_runs (dry_run, trigger, status, finished_at) VALUES (false, "
           "'cli', 'succeeded', to_timestamp(1700000000)), (false, 'cli', 'failed', "
           "to_timestamp(1600000000))");
  ServiceUnderTest service(options);
  double success = 0;
  for (int i = 0; i < 100 && success != 1700000000; ++i) {  // loaded on the worker thread
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    success = exposition_value(service.client().get("/metrics").body,
                               "utxoiq_retention_last_success_timestamp_seconds");
  }
  EXPECT_EQ(success, 1700000000);
  EXPECT_EQ(exposition_value(service.client().get("/metrics").body,
                             "utxoiq_retention_last_failure_timestamp_seconds"),
            1600000000);
}

TEST(RetentionHttp, DryAndRealRunsCountTheSameAndAreListedNewestFirst) {
  ServiceUnderTest service(with_archive_dir(make_temp_dir("retention-http")));
  seed_retention_data(service.database_url(), now_utc());
  auto client = service.client();
  const auto dry = client.post(kRun, boost::json::value{{"dry_run", true}});
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.json().at("dry_run"), true);
  EXPECT_EQ(sql_count(service.database_url(), "SELECT count(*) FROM backfill_jobs"), 8);
  const auto real = client.post(kRun, std::string_view(""));
  ASSERT_EQ(real.status, 200) << real.body;
  EXPECT_EQ(real.json().at("status"), "succeeded");
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(deleted_of(dry.json(), i), deleted_of(real.json(), i)) << i;
  }
  EXPECT_EQ(deleted_of(real.json(), 0), 5);
  EXPECT_EQ(sql_count(service.database_url(), "SELECT count(*) FROM backfill_jobs"), 3);

  const auto first = client.get(std::string(kRuns) + "?limit=1");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json().at("runs").at(0).at("dry_run"), false);
  const auto cursor = first.json().at("next_cursor");
  ASSERT_TRUE(cursor.is_string());
  const auto second =
      client.get(std::string(kRuns) + "?limit=1&cursor=" + std::string(cursor.as_string()));
  EXPECT_EQ(second.json().at("runs").at(0).at("dry_run"), true);
  EXPECT_TRUE(second.json().at("next_cursor").is_null());
}

TEST(RetentionHttp, BadInputIs422NamingEveryFieldAndRecordsNothing) {
  ServiceUnderTest service(with_archive_dir(make_temp_dir("retention-http")));
  auto client = service.client();
  const auto yes = client.post(kRun, std::string_view(R"({"dry_run": "yes"})"));
  EXPECT_EQ(yes.status, 422);
  EXPECT_EQ(yes.error_fields(), std::vector<std::string>{"dry_run"});
  const auto two = client.post(kRun, std::string_view(R"({"dry_run": 1, "force": true})"));
  EXPECT_EQ(two.status, 422);
  // Unknown members are ignored (api.md); only the bad one is named.
  EXPECT_EQ(two.error_fields(), std::vector<std::string>{"dry_run"});
  EXPECT_EQ(client.post(kRun, std::string_view("[true]")).status, 400);
  const auto list = client.get(std::string(kRuns) + "?limit=0&cursor=abc");
  EXPECT_EQ(list.status, 422);
  EXPECT_EQ(list.error_fields(), (std::vector<std::string>{"limit", "cursor"}));
  EXPECT_EQ(sql_count(service.database_url(), "SELECT count(*) FROM retention_runs"), 0);
}

TEST(RetentionHttp, ARunWhileAnotherIsInProgressIs409AndOnlyAdminsMayRun) {
  ServiceUnderTest service(with_archive_dir(make_temp_dir("retention-http")));
  pg::BlockingConnection other(service.database_url());
  other.exec("SELECT pg_advisory_lock(" + std::to_string(ops::kRetentionLockKey) + ")");
  EXPECT_EQ(service.client().post(kRun, std::string_view(R"({"dry_run": true})")).status, 409);
  other.exec("SELECT pg_advisory_unlock(" + std::to_string(ops::kRetentionLockKey) + ")");
  EXPECT_EQ(service.client().post(kRun, std::string_view(R"({"dry_run": true})")).status, 200);
  const auto writer = create_api_key(service.database_url(), "writer");
  EXPECT_EQ(service.client(writer.key).post(kRun, std::string_view(R"({"dry_run": true})")).status,
            403);
  EXPECT_EQ(service.client(writer.key).get(kRuns).status, 403);
}

TEST(RetentionHttp, TheServicesDailyJobRunsRetentionAfterTheBackupAtTheConfiguredTime) {
  const auto url = TestServers::get().create_migrated_database();
  seed_retention_data(url, now_utc());
  app::ServeConfig config;
  config.retention.archive_dir = make_temp_dir("retention-job");
  config.retention.time = "03:15";
  app::RetentionService retention(url, config);
  auto job = retention.daily_job();
  EXPECT_EQ(job.name, "retention");
  EXPECT_EQ(job.time_of_day, std::chrono::minutes{3 * 60 + 15});
  EXPECT_EQ(job.after, std::vector<std::string>{"backup"});
  job.run();
  EXPECT_EQ(sql_value(url, "SELECT trigger || ' ' || status FROM retention_runs"),
            "schedule succeeded");
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM backfill_jobs"), 3);
  // A run that cannot archive throws, so the scheduler records the error.
  const auto file = make_temp_dir("retention-job") / "not-a-directory";
  std::ofstream(file) << "x";
  config.retention.archive_dir = file;
  app::RetentionService broken(url, config);
  sql_exec(url,
           "INSERT INTO backfill_jobs (id, job_type, start_block, end_block, current_block, "
           "status, started_at) VALUES (gen_random_uuid(), 'blocks', 0, 1, 1, 'completed', "
           "now() - interval '1000 days')");
  EXPECT_THROW(broken.daily_job().run(), std::exception);
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM backfill_jobs"), 4);
}

TEST(RetentionCli, RunRunsAndRestore) {
  const auto url = TestServers::get().create_migrated_database();
  const auto dir = make_temp_dir("retention-cli");
  seed_retention_data(url, now_utc());
  const std::vector<std::string> where{"--database-url", url, "--archive-dir", dir.string()};
  auto args = [&where](std::vector<std::string> head) {
    head.insert(head.begin() + 2, where.begin(), where.end());
    return head;
  };
  const auto dry = run_utxoiq(args({"retention", "run", "--dry-run"}));
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("\"dry_run\":true"), std::string::npos) << dry.output;
  ASSERT_EQ(run_utxoiq(args({"retention", "run"})).exit_code, 0);
  const auto runs = run_utxoiq(args({"retention", "runs"}));
  EXPECT_EQ(runs.exit_code, 0);
  EXPECT_NE(runs.output.find("\"status\":\"succeeded\""), std::string::npos) << runs.output;
  const auto archive =
      sql_value(url,
                "SELECT substr(archive_uri, 8) FROM retention_archives WHERE table_name = "
                "'backfill_jobs' ORDER BY id LIMIT 1");
  ASSERT_TRUE(archive);
  const auto restored = run_utxoiq(args({"retention", "restore", *archive, "--into", "jobs_back"}));
  EXPECT_EQ(restored.exit_code, 0) << restored.output;
  EXPECT_NE(restored.output.find("restored 5 rows into jobs_back"), std::string::npos)
      << restored.output;
  EXPECT_EQ(run_utxoiq(args({"retention", "restore", *archive, "--into", "Bad Name"})).exit_code,
            2);
  EXPECT_EQ(run_utxoiq(args({"retention", "run", "--metrics-retention-days", "0"})).exit_code, 2);
}

}  // namespace
}  // namespace utxoiq::testing
