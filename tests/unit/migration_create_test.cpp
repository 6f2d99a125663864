// `migrate create NAME`: the next sequential version, a UTC creation timestamp in the headers,
// never an overwritten file.
#include "ops/migration_create.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "ops/migration_set.hpp"

namespace utxoiq::ops {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class MigrationCreateTest : public ::testing::Test {
 protected:
  MigrationCreateTest() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("utxoiq_migration_create_test_" + std::to_string(::getpid()) + "_" +
            std::to_string(counter++));
  }
  ~MigrationCreateTest() override { std::filesystem::remove_all(dir_); }

  static std::string read(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
  }

  std::filesystem::path dir_;
  // 2026-11-22T01:02:03Z
  const std::chrono::system_clock::time_point at_ =
      std::chrono::system_clock::from_time_t(1795309323);
};

TEST_F(MigrationCreateTest, StartsAtOneInANewDirectoryWithTimestampedHeaders) {
  const auto created = create_migration(dir_, "add_things", at_);
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.name, "add_things");
  EXPECT_EQ(created.created_at, "2026-11-22T01:02:03Z");
  EXPECT_EQ(created.up_path, dir_ / "0001_add_things.up.sql");
  EXPECT_EQ(created.down_path, dir_ / "0001_add_things.down.sql");
  const std::string up = read(created.up_path);
  const std::string down = read(created.down_path);
  EXPECT_THAT(up, StartsWith("-- Migration 0001_add_things (up)\n"));
  EXPECT_THAT(up, HasSubstr("-- Created: 2026-11-22T01:02:03Z\n"));
  EXPECT_THAT(down, StartsWith("-- Migration 0001_add_things (down)"));
  EXPECT_THAT(down, HasSubstr("-- Created: 2026-11-22T01:02:03Z\n"));
}

TEST_F(MigrationCreateTest, TakesTheNextVersionAndTheResultIsAValidSet) {
  create_migration(dir_, "first", at_);
  create_migration(dir_, "second", at_);
  const auto third = create_migration(dir_, "third", at_);
  EXPECT_EQ(third.version, 3);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "0003_third.up.sql"));
  const auto set = MigrationSet::from_directory(dir_);
  ASSERT_EQ(set.latest_version(), 3);
  EXPECT_EQ(set.migrations()[1].name, "second");
}

TEST_F(MigrationCreateTest, RefusesAnInvalidName) {
  for (const char* name : {"", "Bad", "has-dash", "../escape", "with space"}) {
    EXPECT_THROW(create_migration(dir_, name, at_), std::invalid_argument) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_) && !std::filesystem::is_empty(dir_));
}

TEST_F(MigrationCreateTest, RefusesToAddToAnInvalidSet) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "0001_orphan.up.sql") << "SELECT 1;";
  EXPECT_THROW(create_migration(dir_, "next", at_), MigrationSetError);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "0002_next.up.sql"));
}

TEST_F(MigrationCreateTest, NeverOverwritesWhatIsAlreadyThere) {
  std::filesystem::create_directories(dir_);
  // The set ignores what is not a regular file, so this directory gets past validation and only
  // the exclusive create stands between `create` and the existing down path.
  std::filesystem::create_directory(dir_ / "0001_next.down.sql");
  std::ofstream(dir_ / "0001_next.down.sql" / "inside") << "keep me";
  EXPECT_THROW(create_migration(dir_, "next", at_), std::runtime_error);
  EXPECT_EQ(read(dir_ / "0001_next.down.sql" / "inside"), "keep me");
  // The up file written first is removed again, so no half pair is left behind.
  EXPECT_FALSE(std::filesystem::exists(dir_ / "0001_next.up.sql"));
}

}  // namespace
}  // namespace utxoiq::ops
