// Backups on the real PostgreSQL of the test binary (ops/backup_*): a backup restored into a new
// database holds every row of the original; a flipped byte fails the verify; a missing or
// read-only mirror fails the backup and deletes nothing; a backup taken while writes go on has a
// manifest equal to what its restore holds (one snapshot); the advisory lock makes a second
// operation busy; the CLI refuses bad ids and target names with clear errors and exit codes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "ops/backup_engine.hpp"
#include "ops/backup_lock.hpp"
#include "ops/backup_manifest.hpp"
#include "ops/backup_restore.hpp"
#include "ops/pg_tool.hpp"
#include "pg/blocking_connection.hpp"
#include "support/cli_runner.hpp"
#include "support/sql_probe.hpp"
#include "support/test_servers.hpp"
#include "util/uuid.hpp"

namespace utxoiq::testing {
namespace {

namespace fs = std::filesystem;

// A fresh directory under /tmp, removed with the object.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("utxoiq-backup-test-" + new_uuid_v7().to_string());
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

void add_feedback(const std::string& url, int from, int count) {
  sql_exec(url,
           "INSERT INTO insight_feedback (id, insight_id, user_id, rating, comment) "
           "SELECT gen_random_uuid(), 'insight-' || (i % 7), 'user-' || i, 1 + i % 5, "
           "CASE WHEN i % 3 = 0 THEN 'comment ' || i END FROM generate_series(" +
               std::to_string(from) + ", " + std::to_string(from + count - 1) + ") AS i");
}

// Every row of every table but `backups` (whose own row changes after the dump), as text: an
// independent check of the manifest's checksums.
std::map<std::string, std::string> all_rows(const std::string& url) {
  pg::BlockingConnection c(url);
  const auto tables = c.exec(
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'backups' ORDER BY 1");
  std::map<std::string, std::string> rows;
  for (const auto& t : tables.rows) {
    rows[*t[0]] = c.exec("SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM " +
                         *t[0] + " t")
                      .rows.at(0)
                      .at(0)
                      .value_or("");
  }
  return rows;
}

std::string unique_database_name() {
  return "restored_" + new_uuid_v7().to_string().substr(24);
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = TestServers::get().create_migrated_database();
    settings_.database_url = url_;
    settings_.backup_dir = (dir_.path / "primary").string();
    settings_.mirror_dir = (dir_.path / "mirror").string();
    fs::create_directories(settings_.mirror_dir);
  }
  TempDir dir_;
  std::string url_;
  ops::BackupSettings settings_;
};

TEST_F(BackupTest, RestoreHoldsEveryRowOfTheBackup) {
  add_feedback(url_, 1, 500);
  sql_exec(url_,
           "INSERT INTO backfill_jobs (id, job_type, start_block, end_block, current_block) "
           "VALUES (gen_random_uuid(), 'blocks', 1, 100, 50)");
  const auto before = all_rows(url_);
  const auto taken = ops::run_backup(settings_);
  EXPECT_EQ(taken.record.status, "succeeded");
  ASSERT_TRUE(taken.record.file_name);
  // Both copies are there, byte for byte.
  EXPECT_TRUE(fs::exists(fs::path(settings_.backup_dir) / *taken.record.file_name));
  EXPECT_TRUE(fs::exists(fs::path(settings_.mirror_dir) / *taken.record.file_name));
  EXPECT_EQ(files_in(settings_.backup_dir), files_in(settings_.mirror_dir));
  ASSERT_TRUE(taken.record.manifest);
  EXPECT_EQ(taken.record.manifest->schema_version,
            sql_count(url_, "SELECT max(version) FROM schema_migrations"));
  EXPECT_EQ(taken.record.manifest->sha256, *taken.record.sha256);

  add_feedback(url_, 1000, 10);  // after the backup: must not be in the restore
  const std::string target = unique_database_name();
  const auto restored = ops::restore_backup(settings_, {taken.record.id, target, false});
  EXPECT_TRUE(restored.differences.empty()) << restored.differences.front();
  const std::string target_url = ops::conninfo_with_database(url_, target);
  EXPECT_EQ(all_rows(target_url), before);
  EXPECT_EQ(sql_count(target_url, "SELECT count(*) FROM insight_feedback"), 500);

  // A second restore into it is refused without --force, done with it.
  EXPECT_THROW(ops::restore_backup(settings_, {taken.record.id, target, false}),
               ops::BackupFailure);
  EXPECT_NO_THROW(ops::restore_backup(settings_, {taken.record.id, target, true}));
  sql_exec(TestServers::get().admin_url(), "DROP DATABASE " + target + " WITH (FORCE)");

  const auto verified = ops::verify_backup(settings_, std::nullopt);
  EXPECT_TRUE(verified.passed);
  EXPECT_EQ(verified.record.verify_result, "passed");
  EXPECT_TRUE(verified.record.verified_at);
  EXPECT_TRUE(verified.record.restore_ms);
}

TEST_F(BackupTest, FlippedByteFailsTheVerify) {
  add_feedback(url_, 1, 50);
  const auto taken = ops::run_backup(settings_);
  const fs::path file = fs::path(settings_.backup_dir) / *taken.record.file_name;
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(100);
    const char byte = static_cast<char>(f.get());
    f.seekp(100);
    f.put(static_cast<char>(byte ^ 0x01));
  }
  const auto result = ops::verify_backup(settings_, taken.record.id);
  EXPECT_FALSE(result.passed);
  ASSERT_FALSE(result.problems.empty());
  EXPECT_NE(result.problems.front().find("SHA-256"), std::string::npos) << result.problems.front();
  EXPECT_EQ(result.record.verify_result, "failed");
  // No scratch database is left behind.
  EXPECT_EQ(
      sql_count(url_, "SELECT count(*) FROM pg_database WHERE datname LIKE 'utxoiq_verify_%'"), 0);
  // Restore checks the SHA-256 first.
  EXPECT_THROW(ops::restore_backup(settings_, {taken.record.id, unique_database_name(), false}),
               ops::BackupFailure);
}

void expect_mirror_failure(ops::BackupSettings settings, const std::string& url) {
  const auto first = ops::run_backup(settings);  // a good one, which must survive
  const auto primary_before = files_in(settings.backup_dir);
  const auto mirror_before = files_in(settings.mirror_dir);
  ops::BackupSettings broken = settings;
  broken.mirror_dir = settings.mirror_dir + "/missing";
  try {
    ops::run_backup(broken);
    ADD_FAILURE() << "a backup without its second copy succeeded";
  } catch (const ops::BackupFailure& e) {
    EXPECT_EQ(e.stage(), "mirror");
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
  }
  EXPECT_EQ(files_in(settings.backup_dir), primary_before);
  EXPECT_EQ(files_in(settings.mirror_dir), mirror_before);
  EXPECT_EQ(sql_count(url,
                      "SELECT count(*) FROM backups WHERE status = 'failed' "
                      "AND failed_stage = 'mirror' AND error LIKE '%does not exist%'"),
            1);
  EXPECT_EQ(sql_count(url, "SELECT count(*) FROM backups WHERE deleted_at IS NOT NULL"), 0);
  EXPECT_EQ(ops::list_backups(settings).front().status, "failed");
  EXPECT_EQ(ops::list_backups(settings).back().id, first.record.id);
}

TEST_F(BackupTest, MissingMirrorFailsAndDeletesNothing) {
  expect_mirror_failure(settings_, url_);
}

TEST_F(BackupTest, ReadOnlyMirrorFailsAndDeletesNothing) {
  const auto first = ops::run_backup(settings_);
  const auto primary_before = files_in(settings_.backup_dir);
  ops::BackupSettings read_only = settings_;
  // Root ignores file modes; /proc is read-only for everyone.
  if (geteuid() == 0) {
    read_only.mirror_dir = "/proc";
  } else {
    read_only.mirror_dir = (dir_.path / "read-only").string();
    fs::create_directories(read_only.mirror_dir);
    fs::permissions(read_only.mirror_dir, fs::perms::owner_read | fs::perms::owner_exec);
  }
  try {
    ops::run_backup(read_only);
    ADD_FAILURE() << "a backup into a read-only mirror succeeded";
  } catch (const ops::BackupFailure& e) {
    EXPECT_EQ(e.stage(), "mirror");
    EXPECT_NE(std::string(e.what()).find("cannot copy"), std::string::npos) << e.what();
  }
  EXPECT_EQ(files_in(settings_.backup_dir), primary_before);
  EXPECT_TRUE(fs::exists(fs::path(settings_.mirror_dir) / *first.record.file_name));
  EXPECT_EQ(sql_count(url_, "SELECT count(*) FROM backups WHERE deleted_at IS NOT NULL"), 0);
}

TEST_F(BackupTest, ManifestMatchesTheRestoreWhileWritesGoOn) {
  add_feedback(url_, 1, 2000);
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    pg::BlockingConnection c(url_);
    for (int i = 100'000; !stop; ++i) {
      c.exec(
          "INSERT INTO insight_feedback (id, insight_id, user_id, rating) VALUES "
          "(gen_random_uuid(), 'busy', 'writer-" +
          std::to_string(i) + "', 3)");
      ++written;
    }
  });
  while (written < 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto taken = ops::run_backup(settings_);
  const int after_backup = written;
  while (written < after_backup + 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  writer.join();

  const std::string target = unique_database_name();
  const auto restored = ops::restore_backup(settings_, {taken.record.id, target, false});
  EXPECT_TRUE(restored.differences.empty()) << restored.differences.front();
  EXPECT_EQ(restored.tables, taken.record.manifest->tables);
  const auto target_url = ops::conninfo_with_database(url_, target);
  const auto restored_rows = sql_count(target_url, "SELECT count(*) FROM insight_feedback");
  EXPECT_GT(restored_rows, 2000 + 20 - 1);
  EXPECT_LT(restored_rows, sql_count(url_, "SELECT count(*) FROM insight_feedback"));
  sql_exec(TestServers::get().admin_url(), "DROP DATABASE " + target + " WITH (FORCE)");
}

TEST_F(BackupTest, ASecondOperationIsBusyWhileTheLockIsHeld) {
  pg::BlockingConnection holder(url_);
  holder.exec("SELECT pg_advisory_lock(hashtext('utxoiq.backup'))");
  EXPECT_THROW(ops::run_backup(settings_), ops::BackupBusy);
  EXPECT_THROW(ops::verify_backup(settings_, std::nullopt), ops::BackupBusy);
  holder.exec("SELECT pg_advisory_unlock(hashtext('utxoiq.backup'))");
  EXPECT_NO_THROW(ops::run_backup(settings_));
}

// The lock is free the moment an operation returns, not when its session's backend gets round to
// exiting: the next operation (a verify right after a backup) must never be refused as busy.
TEST_F(BackupTest, TheLockIsFreeAsSoonAsAnOperationEnds) {
  pg::BlockingConnection other(url_);  // already connected: it asks within microseconds
  for (int i = 0; i < 20; ++i) {
    { const ops::BackupLock lock(url_); }
    const auto got = other.exec("SELECT pg_try_advisory_lock(hashtext('utxoiq.backup'))");
    ASSERT_EQ(got.rows.at(0).at(0), "t") << "still held after the operation ended, round " << i;
    other.exec("SELECT pg_advisory_unlock(hashtext('utxoiq.backup'))");
  }
}

TEST_F(BackupTest, CommandLineRefusesBadInput) {
  const Environment env{{"DATABASE_URL", url_}};
  const std::vector<std::string> dirs{"--backup-dir", settings_.backup_dir, "--backup-mirror-dir",
                                      settings_.mirror_dir};
  auto with_dirs = [&dirs](std::vector<std::string> args) {
    args.insert(args.end(), dirs.begin(), dirs.end());
    return args;
  };
  const auto run = run_utxoiq(with_dirs({"backup", "run"}), env);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto id = run.output.substr(7, 36);  // "backup <id> taken"
  ASSERT_TRUE(Uuid::parse(id)) << run.output;

  const auto listed = run_utxoiq(with_dirs({"backup", "list"}), env);
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.output.find(id), std::string::npos);

  const auto bad_id = run_utxoiq(with_dirs({"backup", "restore", "nope", "--target", "x"}), env);
  EXPECT_EQ(bad_id.exit_code, 2);
  EXPECT_NE(bad_id.output.find("must be a UUID"), std::string::npos) << bad_id.output;
  const auto unknown =
      run_utxoiq(with_dirs({"backup", "restore", new_uuid_v7().to_string(), "--target", "x"}), env);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("no backup with id"), std::string::npos) << unknown.output;
  const auto bad_target =
      run_utxoiq(with_dirs({"backup", "restore", id, "--target", "Robert'); DROP"}), env);
  EXPECT_EQ(bad_target.exit_code, 2);
  EXPECT_NE(bad_target.output.find("--target must be a database name"), std::string::npos);
  const auto no_target = run_utxoiq(with_dirs({"backup", "restore", id}), env);
  EXPECT_EQ(no_target.exit_code, 2);
  const auto verify_unknown =
      run_utxoiq(with_dirs({"backup", "verify", new_uuid_v7().to_string()}), env);
  EXPECT_EQ(verify_unknown.exit_code, 1);

  const std::string target = unique_database_name();
  const auto restored = run_utxoiq(with_dirs({"backup", "restore", id, "--target", target}), env);
  EXPECT_EQ(restored.exit_code, 0) << restored.output;
  EXPECT_NE(restored.output.find("insight_feedback"), std::string::npos) << restored.output;
  const auto again = run_utxoiq(with_dirs({"backup", "restore", id, "--target", target}), env);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("not empty; add --force"), std::string::npos) << again.output;
  const auto verified = run_utxoiq(with_dirs({"backup", "verify", id}), env);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  sql_exec(TestServers::get().admin_url(), "DROP DATABASE " + target + " WITH (FORCE)");
}

}  // namespace
}  // namespace utxoiq::testing
