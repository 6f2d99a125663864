// The migration system against a real PostgreSQL 15 (requirement 5): up/down of the real embedded
// migrations, never applying a migration twice (also with two instances at once), one transaction
// per migration, refusing changed files, rolling back only the latest, and the initial schema's
// constraints and feedback-statistics trigger.
#include "ops/migrations.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "pg/blocking_connection.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::ops {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const std::vector<std::string> kInitialTables = {"backfill_jobs",          "insight_feedback",
                                                 "insight_feedback_stats", "system_metrics",
                                                 "system_metrics_default", "api_keys"};

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ =
        std::filesystem::temp_directory_path() /
        ("utxoiq_migrations_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary | std::ios::trunc) << content;
  }
  void write_pair(const std::string& id, const std::string& up, const std::string& down) const {
    write(id + ".up.sql", up);
    write(id + ".down.sql", down);
  }
  MigrationSet set() const { return MigrationSet::from_directory(path_); }

 private:
  std::filesystem::path path_;
};

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override { url_ = testing::TestServers::get().create_database(); }

  pg::BlockingConnection connect() const { return pg::BlockingConnection(url_); }

  std::optional<std::string> scalar(const std::string& sql,
                                    const std::vector<std::optional<std::string>>& params = {}) {
    auto connection = connect();
    const auto result = connection.exec_params(sql, params);
    return result.rows.at(0).at(0);
  }
  bool relation_exists(const std::string& name) {
    return scalar("SELECT to_regclass($1) IS NOT NULL", {name}) == "t";
  }
  long long count(const std::string& sql) { return std::stoll(scalar(sql).value()); }
  std::vector<int> applied_versions() {
    std::vector<int> versions;
    auto connection = connect();
    for (const auto& row :
         connection.exec_params("SELECT version FROM schema_migrations ORDER BY version").rows) {
      versions.push_back(std::stoi(row.at(0).value()));
    }
    return versions;
  }

  std::string url_;
};

// A set whose migrations each create one table t<version>.
void write_table_migrations(const TempDir& dir, int count) {
  for (int version = 1; version <= count; ++version) {
    const std::string table = "t" + std::to_string(version);
    dir.write_pair(migration_id(version, "create_" + table),
                   "CREATE TABLE " + table + " (id integer PRIMARY KEY);\n",
                   "DROP TABLE " + table + ";\n");
  }
}

MigrationError expect_migration_error(const std::function<void()>& run) {
  try {
    run();
  } catch (const MigrationError& error) {
    return error;
  }
  ADD_FAILURE() << "no MigrationError";
  return MigrationError(MigrationErrorKind::kStatementFailed, -1, "none");
}

TEST_F(MigrationsTest, EmbeddedMigrationsGoUpDownAndUpAgain) {
  const MigrationSet set = MigrationSet::embedded();

  const MigrationReport up = migrate_up(url_, set);
  EXPECT_EQ(up.version_before, 0);
  EXPECT_EQ(up.version_after, set.latest_version());
  ASSERT_EQ(up.steps.size(), static_cast<std::size_t>(set.latest_version()));
  EXPECT_EQ(up.steps[0].version, 1);
  EXPECT_EQ(up.steps[0].name, "initial");
  for (const auto& table : kInitialTables) EXPECT_TRUE(relation_exists(table)) << table;
  EXPECT_EQ(scalar("SELECT checksum FROM schema_migrations WHERE version = 1"),
            set.migrations()[0].checksum);
  EXPECT_EQ(scalar("SELECT name FROM schema_migrations WHERE version = 1"), "initial");

  // Roll everything back, one migration per call, newest first.
  for (int version = set.latest_version(); version >= 1; --version) {
    const MigrationReport down = migrate_down(url_, set);
    ASSERT_EQ(down.steps.size(), 1u);
    EXPECT_EQ(down.steps[0].version, version);
    EXPECT_EQ(down.version_before, version);
    EXPECT_EQ(down.version_after, version - 1);
  }
  for (const auto& table : kInitialTables) EXPECT_FALSE(relation_exists(table)) << table;
  EXPECT_EQ(count("SELECT count(*) FROM pg_proc WHERE proname LIKE 'insight_feedback_stats%'"), 0);
  EXPECT_TRUE(applied_versions().empty());
  EXPECT_TRUE(relation_exists("schema_migrations"));  // the bookkeeping table stays

  const MigrationReport again = migrate_up(url_, set);
  EXPECT_EQ(again.steps.size(), static_cast<std::size_t>(set.latest_version()));
  for (const auto& table : kInitialTables) EXPECT_TRUE(relation_exists(table)) << table;
}

TEST_F(MigrationsTest, StatusBeforeAndAfterUp) {
  const MigrationSet set = MigrationSet::embedded();
  const MigrationStatusReport before = migration_status(url_, set);
  EXPECT_EQ(before.current_version, 0);
  EXPECT_EQ(before.pending_count(), set.latest_version());
  ASSERT_EQ(before.migrations.size(), static_cast<std::size_t>(set.latest_version()));
  EXPECT_FALSE(before.migrations[0].applied);
  EXPECT_EQ(before.migrations[0].applied_at, std::nullopt);
  EXPECT_FALSE(relation_exists("schema_migrations"));  // status only reads

  migrate_up(url_, set);
  const MigrationStatusReport after = migration_status(url_, set);
  EXPECT_EQ(after.current_version, set.latest_version());
  EXPECT_EQ(after.pending_count(), 0);
  const MigrationStatusEntry& initial = after.migrations[0];
  EXPECT_EQ(initial.version, 1);
  EXPECT_EQ(initial.name, "initial");
  EXPECT_TRUE(initial.applied);
  EXPECT_TRUE(initial.checksum_ok);
  ASSERT_TRUE(initial.applied_at.has_value());
  EXPECT_THAT(*initial.applied_at,
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z"));
  ASSERT_TRUE(initial.execution_ms.has_value());
  EXPECT_GE(*initial.execution_ms, 0);
  EXPECT_TRUE(after.unknown_applied.empty());
}

TEST_F(MigrationsTest, SecondUpAppliesNothing) {
  const MigrationSet set = MigrationSet::embedded();
  migrate_up(url_, set);
  const MigrationReport second = migrate_up(url_, set);
  EXPECT_TRUE(second.steps.empty());
  EXPECT_EQ(second.version_before, set.latest_version());
  EXPECT_EQ(second.version_after, set.latest_version());
  EXPECT_EQ(applied_versions().size(), static_cast<std::size_t>(set.latest_version()));
}

TEST_F(MigrationsTest, UpAppliesOnlyThePendingMigrationsInOrder) {
  TempDir dir;
  write_table_migrations(dir, 2);
  EXPECT_EQ(migrate_up(url_, dir.set()).steps.size(), 2u);
  // Version 3 depends on 4's absence and 4 on 3's presence: only version order works.
  dir.write_pair("0003_create_t3", "CREATE TABLE t3 (id integer PRIMARY KEY);", "DROP TABLE t3;");
  dir.write_pair("0004_ref_t3", "CREATE TABLE t4 (id integer REFERENCES t3);", "DROP TABLE t4;");
  const MigrationReport report = migrate_up(url_, dir.set());
  EXPECT_EQ(report.version_before, 2);
  EXPECT_EQ(report.version_after, 4);
  ASSERT_EQ(report.steps.size(), 2u);
  EXPECT_EQ(report.steps[0].version, 3);
  EXPECT_EQ(report.steps[1].version, 4);
  EXPECT_EQ(applied_versions(), (std::vector<int>{1, 2, 3, 4}));
}

TEST_F(MigrationsTest, RecordsExecutionTime) {
  TempDir dir;
  dir.write_pair("0001_slow", "SELECT pg_sleep(0.05);\nCREATE TABLE slow ();", "DROP TABLE slow;");
  const MigrationReport report = migrate_up(url_, dir.set());
  ASSERT_EQ(report.steps.size(), 1u);
  // pg_sleep sleeps at least its argument: a lower bound that cannot flake.
  EXPECT_GE(report.steps[0].execution_ms, 50);
  EXPECT_EQ(scalar("SELECT execution_ms FROM schema_migrations WHERE version = 1"),
            std::to_string(report.steps[0].execution_ms));
}

TEST_F(MigrationsTest, ConcurrentUpsApplyEachMigrationExactlyOnce) {
  TempDir dir;
  write_table_migrations(dir, 3);
  const MigrationSet set = dir.set();

  // Hold the migration lock so that both instances are known to be waiting at the same time.
  auto holder = connect();
  const std::optional<std::string> key = std::to_string(Migrator::kAdvisoryLockKey);
  holder.exec_params("SELECT pg_advisory_lock($1)", {key});

  MigrationReport reports[2];
  std::exception_ptr errors[2];
  std::vector<std::thread> instances;
  for (int i = 0; i < 2; ++i) {
    instances.emplace_back([&, i] {
      try {
        reports[i] = migrate_up(url_, set);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"), 2)
      << "both instances should be waiting for the migration lock";
  holder.exec_params("SELECT pg_advisory_unlock($1)", {key});
  for (auto& instance : instances) instance.join();

  for (const auto& error : errors) {
    if (!error) continue;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "an instance failed: " << e.what();
    }
  }
  // One instance applied all three, the other found nothing left to do.
  const std::size_t applied_by_first = reports[0].steps.size();
  const std::size_t applied_by_second = reports[1].steps.size();
  EXPECT_EQ(applied_by_first + applied_by_second, 3u);
  EXPECT_TRUE(applied_by_first == 0 || applied_by_second == 0);
  EXPECT_EQ(reports[0].version_after, 3);
  EXPECT_EQ(reports[1].version_after, 3);
  EXPECT_EQ(applied_versions(), (std::vector<int>{1, 2, 3}));
}

TEST_F(MigrationsTest, FailingMigrationLeavesVersionAndSchemaUnchanged) {
  TempDir dir;
  write_table_migrations(dir, 1);
  dir.write_pair("0002_broken",
                 "CREATE TABLE half_done (id integer);\nINSERT INTO half_done VALUES (1);\n"
                 "SELECT 1 / 0;\n",
                 "DROP TABLE half_done;");
  const MigrationSet set = dir.set();

  auto connection = connect();
  Migrator migrator(connection, set);
  const MigrationError error = expect_migration_error([&] { migrator.up(); });
  EXPECT_EQ(error.kind(), MigrationErrorKind::kStatementFailed);
  EXPECT_EQ(error.version(), 2);
  EXPECT_EQ(error.sqlstate(), "22012");  // division_by_zero
  EXPECT_THAT(error.what(), HasSubstr("0002_broken"));

  EXPECT_EQ(applied_versions(), (std::vector<int>{1}));
  EXPECT_TRUE(relation_exists("t1"));
  EXPECT_FALSE(relation_exists("half_done"));
  // The same connection is usable and no longer holds the migration lock.
  EXPECT_FALSE(connection.in_transaction());
  EXPECT_EQ(count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), 0);
  const MigrationStatusReport status = migrator.status();
  EXPECT_EQ(status.current_version, 1);
  EXPECT_FALSE(status.migrations[1].applied);
}

TEST_F(MigrationsTest, ChangedFileIsRefusedByUpAndReportedByVerify) {
  TempDir dir;
  dir.write_pair("0001_items", "CREATE TABLE items (id integer PRIMARY KEY);\n",
                 "DROP TABLE items;\n");
  const MigrationSet original = dir.set();
  migrate_up(url_, original);
  EXPECT_TRUE(verify_migrations(url_, original).empty());

  // Same version, different SQL; plus a new migration that must not be applied.
  dir.write("0001_items.up.sql", "CREATE TABLE items (id bigint PRIMARY KEY);\n");
  dir.write_pair("0002_more", "CREATE TABLE more ();", "DROP TABLE more;");
  const MigrationSet tampered = dir.set();

  const MigrationError error = expect_migration_error([&] { migrate_up(url_, tampered); });
  EXPECT_EQ(error.kind(), MigrationErrorKind::kChecksumMismatch);
  EXPECT_EQ(error.version(), 1);
  EXPECT_THAT(error.what(), HasSubstr("0001_items"));
  EXPECT_FALSE(relation_exists("more"));
  EXPECT_EQ(applied_versions(), (std::vector<int>{1}));

  const auto issues = verify_migrations(url_, tampered);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].problem, VerifyProblem::kChecksumMismatch);
  EXPECT_EQ(issues[0].version, 1);
  EXPECT_EQ(issues[0].name, "items");
  EXPECT_EQ(issues[0].recorded_checksum, original.migrations()[0].checksum);
  EXPECT_EQ(issues[0].file_checksum, tampered.migrations()[0].checksum);
  EXPECT_FALSE(migration_status(url_, tampered).migrations[0].checksum_ok);

  // Rolling back a migration whose file changed is refused as well.
  std::filesystem::remove(dir.path() / "0002_more.up.sql");
  std::filesystem::remove(dir.path() / "0002_more.down.sql");
  const MigrationError down_error = expect_migration_error([&] { migrate_down(url_, dir.set()); });
  EXPECT_EQ(down_error.kind(), MigrationErrorKind::kChecksumMismatch);
  EXPECT_TRUE(relation_exists("items"));
}

TEST_F(MigrationsTest, WhitespaceOnlyChangeIsNotAChange) {
  TempDir dir;
  dir.write_pair("0001_items", "CREATE TABLE items (\n  id integer PRIMARY KEY\n);\n",
                 "DROP TABLE items;\n");
  migrate_up(url_, dir.set());

  // CRLF line endings, trailing blanks, extra final newlines.
  dir.write("0001_items.up.sql",
            "CREATE TABLE items (  \r\n  id integer PRIMARY KEY\t\r\n);\r\n\r\n\n");
  const MigrationSet edited = dir.set();
  EXPECT_TRUE(verify_migrations(url_, edited).empty());
  EXPECT_TRUE(migration_status(url_, edited).migrations[0].checksum_ok);
  EXPECT_TRUE(migrate_up(url_, edited).steps.empty());
}

TEST_F(MigrationsTest, AppliedVersionWithoutFileIsReported) {
  TempDir dir;
  write_table_migrations(dir, 2);
  migrate_up(url_, dir.set());
  std::filesystem::remove(dir.path() / "0002_create_t2.up.sql");
  std::filesystem::remove(dir.path() / "0002_create_t2.down.sql");
  const MigrationSet older = dir.set();

  const auto issues = verify_migrations(url_, older);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].problem, VerifyProblem::kMissingFile);
  EXPECT_EQ(issues[0].version, 2);
  EXPECT_EQ(issues[0].name, "create_t2");

  const MigrationStatusReport status = migration_status(url_, older);
  EXPECT_EQ(status.current_version, 2);
  ASSERT_EQ(status.unknown_applied.size(), 1u);
  EXPECT_EQ(status.unknown_applied[0].version, 2);
  // An older binary has nothing to apply and cannot roll back what it does not know.
  EXPECT_TRUE(migrate_up(url_, older).steps.empty());
  EXPECT_EQ(expect_migration_error([&] { migrate_down(url_, older); }).kind(),
            MigrationErrorKind::kUnknownVersion);
  EXPECT_TRUE(relation_exists("t2"));
}

TEST_F(MigrationsTest, DownRollsBackOnlyTheMostRecent) {
  TempDir dir;
  write_table_migrations(dir, 3);
  const MigrationSet set = dir.set();
  migrate_up(url_, set);

  const MigrationReport down = migrate_down(url_, set);
  ASSERT_EQ(down.steps.size(), 1u);
  EXPECT_EQ(down.steps[0].version, 3);
  EXPECT_EQ(down.steps[0].name, "create_t3");
  EXPECT_EQ(down.version_after, 2);
  EXPECT_FALSE(relation_exists("t3"));
  EXPECT_TRUE(relation_exists("t2"));
  EXPECT_TRUE(relation_exists("t1"));
  EXPECT_EQ(applied_versions(), (std::vector<int>{1, 2}));

  // Up again re-applies exactly the rolled-back one.
  const MigrationReport up = migrate_up(url_, set);
  ASSERT_EQ(up.steps.size(), 1u);
  EXPECT_EQ(up.steps[0].version, 3);
}

TEST_F(MigrationsTest, DownWithNothingAppliedDoesNothing) {
  const MigrationReport down = migrate_down(url_, MigrationSet::embedded());
  EXPECT_TRUE(down.steps.empty());
  EXPECT_EQ(down.version_after, 0);
}

TEST_F(MigrationsTest, FailingDownLeavesTheMigrationApplied) {
  TempDir dir;
  dir.write_pair("0001_items", "CREATE TABLE items (id integer);",
                 "DROP TABLE items;\nDROP TABLE does_not_exist;");
  const MigrationSet set = dir.set();
  migrate_up(url_, set);
  const MigrationError error = expect_migration_error([&] { migrate_down(url_, set); });
  EXPECT_EQ(error.kind(), MigrationErrorKind::kStatementFailed);
  EXPECT_EQ(error.version(), 1);
  EXPECT_EQ(error.sqlstate(), "42P01");  // undefined_table
  EXPECT_TRUE(relation_exists("items"));
  EXPECT_EQ(applied_versions(), (std::vector<int>{1}));
}

TEST_F(MigrationsTest, RefusesToApplyBelowAnAppliedVersion) {
  TempDir dir;
  write_table_migrations(dir, 2);
  const MigrationSet set = dir.set();
  migrate_up(url_, set);
  // Someone removed the record of version 1 by hand.
  connect().exec("DELETE FROM schema_migrations WHERE version = 1");
  const MigrationError error = expect_migration_error([&] { migrate_up(url_, set); });
  EXPECT_EQ(error.kind(), MigrationErrorKind::kOutOfOrder);
  EXPECT_EQ(error.version(), 1);
  EXPECT_EQ(applied_versions(), (std::vector<int>{2}));
}

// Runs `sql` and expects the server to refuse it with `sqlstate`.
void expect_refused(pg::BlockingConnection& connection, const std::string& sql,
                    const std::string& sqlstate) {
  try {
    connection.exec(sql);
    ADD_FAILURE() << "accepted: " << sql;
  } catch (const pg::BlockingConnectionError& error) {
    EXPECT_EQ(error.sqlstate(), sqlstate) << sql << ": " << error.what();
  }
}

TEST_F(MigrationsTest, InitialSchemaEnforcesItsRules) {
  migrate_up(url_, MigrationSet::embedded());
  auto db = connect();
  constexpr const char* kCheck = "23514";
  constexpr const char* kUnique = "23505";

  const std::string job =
      "INSERT INTO backfill_jobs (id, job_type, start_block, end_block, current_block, status) "
      "VALUES (gen_random_uuid(), 'blocks', ";
  db.exec(job + "0, 100, 0, 'running')");
  db.exec(job + "5, 5, 5, 'paused')");
  db.exec(job + "0, 9223372036854775807, 9223372036854775807, 'completed')");  // 64-bit blocks
  expect_refused(db, job + "10, 5, 10, 'running')", kCheck);                   // start > end
  expect_refused(db, job + "10, 20, 9, 'running')", kCheck);                   // current < start
  expect_refused(db, job + "10, 20, 21, 'running')", kCheck);                  // current > end
  expect_refused(db, job + "-1, 20, 0, 'running')", kCheck);                   // negative
  expect_refused(db, job + "0, 20, 0, 'sleeping')", kCheck);                   // unknown status
  EXPECT_EQ(scalar("SELECT version FROM backfill_jobs LIMIT 1"), "1");

  const std::string feedback =
      "INSERT INTO insight_feedback (id, insight_id, user_id, rating, flag_type) VALUES "
      "(gen_random_uuid(), ";
  db.exec(feedback + "'i1', 'u1', 5, 'spam')");
  expect_refused(db, feedback + "'i1', 'u1', 4, NULL)", kUnique);  // one row per insight and user
  expect_refused(db, feedback + "'i1', 'u2', 6, NULL)", kCheck);
  expect_refused(db, feedback + "'i1', 'u3', 0, NULL)", kCheck);
  expect_refused(db, feedback + "'i1', 'u4', NULL, 'rude')", kCheck);

  const std::string metric =
      "INSERT INTO system_metrics (id, service_name, metric_type, metric_value, unit, "
      "\"timestamp\") VALUES (gen_random_uuid(), 'api', 'latency', ";
  // No partition was created: the DEFAULT partition takes any time.
  db.exec(metric + "12.5, 'ms', '1999-01-01T00:00:00Z')");
  db.exec(metric + "1, 'ms', now())");
  EXPECT_EQ(count("SELECT count(*) FROM system_metrics_default"), 2);
  expect_refused(db, metric + "'NaN', 'ms', now())", kCheck);
  expect_refused(db, metric + "'Infinity', 'ms', now())", kCheck);

  const std::string key = "INSERT INTO api_keys (id, key_hash, role) VALUES (gen_random_uuid(), ";
  const std::string hash = std::string(64, 'a');
  db.exec(key + "'" + hash + "', 'admin')");
  expect_refused(db, key + "'" + hash + "', 'reader')", kUnique);
  expect_refused(db, key + "'" + std::string(64, 'b') + "', 'root')", kCheck);
  expect_refused(db, key + "'not-a-hash', 'reader')", kCheck);

  // The keyset indexes the API pages with.
  for (const char* index :
       {"backfill_jobs_started_idx", "backfill_jobs_status_started_idx",
        "backfill_jobs_type_started_idx", "insight_feedback_insight_created_idx",
        "insight_feedback_user_created_idx", "insight_feedback_created_idx",
        "system_metrics_series_time_idx"}) {
    EXPECT_TRUE(relation_exists(index)) << index;
  }
}

// Number of insights whose stored statistics differ from a recount of insight_feedback (a
// missing statistics row counts as all zeros).
constexpr const char* kStatsMismatches = R"sql(
WITH recount AS (
  SELECT insight_id, ARRAY[
    count(rating), coalesce(sum(rating), 0),
    count(*) FILTER (WHERE rating = 1), count(*) FILTER (WHERE rating = 2),
    count(*) FILTER (WHERE rating = 3), count(*) FILTER (WHERE rating = 4),
    count(*) FILTER (WHERE rating = 5),
    count(comment), count(flag_type),
    count(*) FILTER (WHERE flag_type = 'inaccurate'),
    count(*) FILTER (WHERE flag_type = 'misleading'),
    count(*) FILTER (WHERE flag_type = 'spam'), count(*) FILTER (WHERE flag_type = 'other')
  ]::bigint[] AS v
  FROM insight_feedback GROUP BY insight_id),
stored AS (
  SELECT insight_id, ARRAY[total_ratings, rating_sum, rating_1, rating_2, rating_3, rating_4,
                           rating_5, total_comments, total_flags, flag_inaccurate,
                           flag_misleading, flag_spam, flag_other] AS v
  FROM insight_feedback_stats)
SELECT count(*) FROM recount r FULL JOIN stored s USING (insight_id)
WHERE coalesce(r.v, array_fill(0::bigint, ARRAY[13]))
      IS DISTINCT FROM coalesce(s.v, array_fill(0::bigint, ARRAY[13])))sql";

// total_ratings, rating_sum, rating_1..5, total_comments, total_flags, flag_inaccurate,
// flag_misleading, flag_spam, flag_other of one insight, as "{...}".
constexpr const char* kStatsOf = R"sql(
SELECT ARRAY[total_ratings, rating_sum, rating_1, rating_2, rating_3, rating_4, rating_5,
             total_comments, total_flags, flag_inaccurate, flag_misleading, flag_spam,
             flag_other]::text
FROM insight_feedback_stats WHERE insight_id = $1)sql";

constexpr const char* kUpsertRating = R"sql(
INSERT INTO insight_feedback (id, insight_id, user_id, rating)
VALUES (gen_random_uuid(), $1, $2, $3)
ON CONFLICT (insight_id, user_id) DO UPDATE SET rating = EXCLUDED.rating, updated_at = now())sql";

TEST_F(MigrationsTest, FeedbackStatisticsStayExactThroughEveryKindOfWrite) {
  migrate_up(url_, MigrationSet::embedded());
  auto db = connect();
  auto stats_of = [&](const std::string& insight) { return scalar(kStatsOf, {insight}); };
  auto mismatches = [&] { return count(kStatsMismatches); };

  db.exec(
      "INSERT INTO insight_feedback (id, insight_id, user_id, rating) VALUES "
      "(gen_random_uuid(), 'i1', 'u1', 5), (gen_random_uuid(), 'i1', 'u2', 3), "
      "(gen_random_uuid(), 'i2', 'u1', 1)");
  EXPECT_EQ(stats_of("i1"), "{2,8,0,0,1,0,1,0,0,0,0,0,0}");
  EXPECT_EQ(stats_of("i2"), "{1,1,1,0,0,0,0,0,0,0,0,0,0}");

  // Upserts as the API does them: one updates an existing row, one inserts a new one.
  db.exec(
      "INSERT INTO insight_feedback (id, insight_id, user_id, comment) VALUES "
      "(gen_random_uuid(), 'i1', 'u1', 'nice') ON CONFLICT (insight_id, user_id) "
      "DO UPDATE SET comment = EXCLUDED.comment, updated_at = now()");
  db.exec(
      "INSERT INTO insight_feedback (id, insight_id, user_id, flag_type, flag_reason) VALUES "
      "(gen_random_uuid(), 'i1', 'u3', 'spam', 'ads') ON CONFLICT (insight_id, user_id) "
      "DO UPDATE SET flag_type = EXCLUDED.flag_type, flag_reason = EXCLUDED.flag_reason");
  EXPECT_EQ(stats_of("i1"), "{2,8,0,0,1,0,1,1,1,0,0,1,0}");
  EXPECT_EQ(mismatches(), 0);

  db.exec("UPDATE insight_feedback SET rating = 4 WHERE user_id = 'u2'");
  db.exec("UPDATE insight_feedback SET rating = NULL WHERE insight_id = 'i1' AND user_id = 'u1'");
  db.exec("UPDATE insight_feedback SET flag_type = 'misleading' WHERE user_id = 'u3'");
  EXPECT_EQ(stats_of("i1"), "{1,4,0,0,0,1,0,1,1,0,1,0,0}");
  EXPECT_EQ(mismatches(), 0);

  // Erasure of a user across insights.
  db.exec("DELETE FROM insight_feedback WHERE user_id = 'u1'");
  EXPECT_EQ(stats_of("i1"), "{1,4,0,0,0,1,0,0,1,0,1,0,0}");
  EXPECT_EQ(stats_of("i2"), "{0,0,0,0,0,0,0,0,0,0,0,0,0}");
  EXPECT_EQ(mismatches(), 0);

  // A row moving to another insight leaves one and joins the other.
  db.exec("UPDATE insight_feedback SET insight_id = 'i3' WHERE user_id = 'u2'");
  EXPECT_EQ(stats_of("i1"), "{0,0,0,0,0,0,0,0,1,0,1,0,0}");
  EXPECT_EQ(stats_of("i3"), "{1,4,0,0,0,1,0,0,0,0,0,0,0}");
  EXPECT_EQ(mismatches(), 0);

  // A rolled-back write leaves no trace in the statistics either.
  db.exec("BEGIN");
  db.exec_params(kUpsertRating, {"i3", "u9", "1"});
  db.exec("ROLLBACK");
  EXPECT_EQ(stats_of("i3"), "{1,4,0,0,0,1,0,0,0,0,0,0,0}");

  db.exec("TRUNCATE insight_feedback");
  EXPECT_EQ(count("SELECT count(*) FROM insight_feedback_stats"), 0);
}

TEST_F(MigrationsTest, FeedbackStatisticsStayExactUnderConcurrentWriters) {
  migrate_up(url_, MigrationSet::embedded());
  constexpr int kWriters = 4;
  constexpr int kWritesEach = 50;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      try {
        pg::BlockingConnection db(url_);
        for (int i = 0; i < kWritesEach; ++i) {
          // Every writer rates the same hot insight (new rows, then changes of its own rows) and
          // touches a second insight, so aggregate rows are contended.
          const std::string user = "w" + std::to_string(w) + "_u" + std::to_string(i % 20);
          db.exec_params(kUpsertRating, {"hot", user, std::to_string(1 + (i + w) % 5)});
          db.exec_params(kUpsertRating, {"warm", user, std::to_string(1 + i % 5)});
          if (i % 7 == 0) {
            db.exec_params(
                "DELETE FROM insight_feedback WHERE insight_id = 'warm' AND user_id = $1", {user});
          }
        }
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count(kStatsMismatches), 0);
  EXPECT_EQ(scalar("SELECT total_ratings FROM insight_feedback_stats WHERE insight_id = 'hot'"),
            std::to_string(kWriters * 20));
}

}  // namespace
}  // namespace utxoiq::ops
