// Migration file names and the validation of a set of migration files: what the migrator may
// rely on (versions 1..N, one up and one down each, no transaction statements).
#include "ops/migration_set.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "ops/migration_checksum.hpp"
#include "ops/migration_sql_check.hpp"

namespace utxoiq::ops {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::vector<SqlFile> pair(const std::string& id, const std::string& up = "SELECT 1;",
                          const std::string& down = "SELECT 2;") {
  return {{id + ".up.sql", up}, {id + ".down.sql", down}};
}

std::vector<SqlFile> concat(std::initializer_list<std::vector<SqlFile>> parts) {
  std::vector<SqlFile> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// The problems a set of files is refused for; fails the test when it is accepted.
std::vector<std::string> problems_of(const std::vector<SqlFile>& files) {
  try {
    MigrationSet::from_files(files);
  } catch (const MigrationSetError& error) {
    return error.problems();
  }
  ADD_FAILURE() << "the set was accepted";
  return {};
}

TEST(ParseMigrationFilename, ReadsVersionNameAndDirection) {
  EXPECT_EQ(parse_migration_filename("0001_initial.up.sql"),
            (MigrationFileName{1, "initial", MigrationDirection::kUp}));
  EXPECT_EQ(parse_migration_filename("0012_add_index_2.down.sql"),
            (MigrationFileName{12, "add_index_2", MigrationDirection::kDown}));
  EXPECT_EQ(parse_migration_filename("12345_big.up.sql"),
            (MigrationFileName{12345, "big", MigrationDirection::kUp}));
}

TEST(ParseMigrationFilename, RefusesOtherNames) {
  for (const char* name :
       {"001_short.up.sql", "0001-dash.up.sql", "0001_Upper.up.sql", "0001_.up.sql", "0001_x.sql",
        "0001_x.up.sql.bak", "abcd_x.up.sql", "0001_x.sideways.sql", "0001_with space.up.sql",
        "0001_x.UP.sql", "1234567890_x.up.sql", "README.md", ""}) {
    EXPECT_EQ(parse_migration_filename(name), std::nullopt) << name;
  }
}

TEST(MigrationId, PadsToFourDigits) {
  EXPECT_EQ(migration_id(1, "initial"), "0001_initial");
  EXPECT_EQ(migration_id(123, "x"), "0123_x");
  EXPECT_EQ(migration_id(12345, "x"), "12345_x");
}

TEST(MigrationName, IsLowercaseDigitsAndUnderscoreUpTo100) {
  EXPECT_TRUE(is_valid_migration_name("add_index_2"));
  EXPECT_TRUE(is_valid_migration_name(std::string(100, 'a')));
  EXPECT_FALSE(is_valid_migration_name(std::string(101, 'a')));
  EXPECT_FALSE(is_valid_migration_name(""));
  EXPECT_FALSE(is_valid_migration_name("AddIndex"));
  EXPECT_FALSE(is_valid_migration_name("add-index"));
  EXPECT_FALSE(is_valid_migration_name("../etc"));
}

TEST(MigrationSet, PairsFilesInVersionOrderWithChecksums) {
  const auto set =
      MigrationSet::from_files(concat({pair("0002_second", "CREATE TABLE b ();", "DROP TABLE b;"),
                                       pair("0001_first", "CREATE TABLE a ();", "DROP TABLE a;")}));
  ASSERT_THAT(set.migrations(), SizeIs(2));
  EXPECT_EQ(set.latest_version(), 2);
  const Migration& first = set.migrations()[0];
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.name, "first");
  EXPECT_EQ(first.id(), "0001_first");
  EXPECT_EQ(first.up_sql, "CREATE TABLE a ();");
  EXPECT_EQ(first.down_sql, "DROP TABLE a;");
  EXPECT_EQ(first.checksum, migration_checksum("CREATE TABLE a ();"));
  EXPECT_EQ(set.migrations()[1].name, "second");
  ASSERT_NE(set.find(2), nullptr);
  EXPECT_EQ(set.find(2)->down_sql, "DROP TABLE b;");
  EXPECT_EQ(set.find(0), nullptr);
  EXPECT_EQ(set.find(3), nullptr);
}

TEST(MigrationSet, EmptySetIsValid) {
  const auto set = MigrationSet::from_files({});
  EXPECT_EQ(set.latest_version(), 0);
  EXPECT_TRUE(set.migrations().empty());
}

TEST(MigrationSet, RefusesAGapInVersions) {
  EXPECT_THAT(problems_of(concat({pair("0001_a"), pair("0003_c")})),
              ElementsAre(HasSubstr("version 0002 is missing")));
}

TEST(MigrationSet, RefusesASetNotStartingAtOne) {
  EXPECT_THAT(problems_of(pair("0002_b")), ElementsAre(HasSubstr("version 0001 is missing")));
  EXPECT_THAT(problems_of(concat({pair("0000_zero"), pair("0001_a")})),
              ElementsAre(HasSubstr("versions start at 0001")));
}

TEST(MigrationSet, RefusesDuplicateVersions) {
  EXPECT_THAT(problems_of(concat({pair("0001_a"), pair("0001_b")})),
              testing::Contains(HasSubstr("several up files for one version")));
  // The same number written with more digits is the same version.
  EXPECT_THAT(problems_of(concat({pair("0001_a"), pair("00001_a")})),
              testing::Contains(HasSubstr("several up files for one version")));
}

TEST(MigrationSet, RefusesAnUpWithoutItsDown) {
  EXPECT_THAT(problems_of({{"0001_a.up.sql", "SELECT 1;"}}),
              ElementsAre(HasSubstr("0001_a.up.sql has no down file")));
}

TEST(MigrationSet, RefusesADownWithoutItsUp) {
  EXPECT_THAT(problems_of(concat({pair("0001_a"), {{"0002_b.down.sql", "SELECT 1;"}}})),
              ElementsAre(HasSubstr("0002_b.down.sql has no up file")));
}

TEST(MigrationSet, RefusesUpAndDownOfDifferentNames) {
  EXPECT_THAT(problems_of({{"0001_a.up.sql", "SELECT 1;"}, {"0001_b.down.sql", "SELECT 1;"}}),
              ElementsAre(HasSubstr("different names")));
}

TEST(MigrationSet, RefusesFilesThatAreNotMigrations) {
  EXPECT_THAT(problems_of(concat({pair("0001_a"), {{"0002-b.up.sql", "SELECT 1;"}}})),
              ElementsAre(HasSubstr("0002-b.up.sql: not a migration file name")));
}

TEST(MigrationSet, RefusesTransactionStatementsInFiles) {
  EXPECT_THAT(problems_of(pair("0001_a", "BEGIN; CREATE TABLE a (); COMMIT;")),
              ElementsAre(HasSubstr("0001_a.up.sql: contains a transaction statement")));
  EXPECT_THAT(problems_of(pair("0001_a", "SELECT 1;", "DROP TABLE a; ROLLBACK;")),
              ElementsAre(HasSubstr("0001_a.down.sql: contains a transaction statement")));
}

TEST(MigrationSet, ReportsEveryProblemAtOnce) {
  const auto problems =
      problems_of(concat({{{"0001_a.up.sql", "SELECT 1;"}}, pair("0003_c"), {{"junk.sql", ""}}}));
  EXPECT_THAT(problems, SizeIs(3));
}

TEST(TransactionStatementCheck, FindsOnlyRealTransactionStatements) {
  for (const char* sql :
       {"BEGIN;", "START TRANSACTION;", "CREATE TABLE a (); COMMIT;", "END;", "ROLLBACK;",
        "SAVEPOINT s;", "RELEASE SAVEPOINT s;", "PREPARE TRANSACTION 'x';", "commit"}) {
    EXPECT_TRUE(contains_transaction_statement(sql)) << sql;
  }
  for (const char* sql :
       {"SELECT 'COMMIT; BEGIN';", "-- COMMIT;\nSELECT 1;", "/* ROLLBACK; */ SELECT 1;",
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;",
        "SELECT '{\"TransactionStmt\":1}';", "", "this is not sql"}) {
    EXPECT_FALSE(contains_transaction_statement(sql)) << sql;
  }
}

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("utxoiq_migration_set_test_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
  }

 private:
  std::filesystem::path path_;
};

TEST(MigrationSetFromDirectory, ReadsTheSqlFilesAndIgnoresOthers) {
  TempDir dir;
  dir.write("0001_a.up.sql", "CREATE TABLE a ();\r\n");
  dir.write("0001_a.down.sql", "DROP TABLE a;\n");
  dir.write("README.md", "not a migration");
  std::filesystem::create_directory(dir.path() / "0002_sub.up.sql");  // a directory, not a file
  const auto set = MigrationSet::from_directory(dir.path());
  ASSERT_EQ(set.latest_version(), 1);
  EXPECT_EQ(set.migrations()[0].up_sql, "CREATE TABLE a ();\r\n");  // bytes as in the file
  EXPECT_EQ(set.migrations()[0].checksum, migration_checksum("CREATE TABLE a ();"));
}

TEST(MigrationSetFromDirectory, RefusesAMissingDirectory) {
  EXPECT_THROW(MigrationSet::from_directory("/nonexistent/utxoiq/migrations"), MigrationSetError);
}

TEST(EmbeddedMigrations, FormAValidSetStartingWithTheInitialSchema) {
  const auto set = MigrationSet::embedded();
  ASSERT_GE(set.latest_version(), 1);
  const Migration& initial = set.migrations()[0];
  EXPECT_EQ(initial.id(), "0001_initial");
  EXPECT_THAT(initial.up_sql, HasSubstr("CREATE TABLE backfill_jobs"));
  EXPECT_THAT(initial.down_sql, HasSubstr("DROP TABLE backfill_jobs"));
}

TEST(EmbeddedMigrations, AreByteForByteTheFilesOfTheMigrationsDirectory) {
  // cmake/migrations.cmake copies the files into C++ source; nothing may be lost on the way, or
  // the binary's checksums would differ from those of `--migrations-dir migrations`.
  const auto source_dir = std::filesystem::path(UTXOIQ_SOURCE_DIR) / "migrations";
  ASSERT_TRUE(std::filesystem::is_directory(source_dir)) << source_dir;
  const auto on_disk = MigrationSet::from_directory(source_dir);
  const auto embedded = MigrationSet::embedded();
  ASSERT_EQ(embedded.latest_version(), on_disk.latest_version());
  for (int version = 1; version <= embedded.latest_version(); ++version) {
    EXPECT_EQ(embedded.find(version)->up_sql, on_disk.find(version)->up_sql) << version;
    EXPECT_EQ(embedded.find(version)->down_sql, on_disk.find(version)->down_sql) << version;
  }
}

}  // namespace
}  // namespace utxoiq::ops
