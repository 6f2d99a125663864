// The directory of the workers' metrics sockets (app/worker_metrics_dir.hpp): made 0700 under the
// data directory, an existing one set back to 0700 and emptied of stale sockets, a symlink
// refused, a private temporary directory when the socket paths would be too long.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "app/worker_metrics_dir.hpp"

namespace utxoiq::app {
namespace {

namespace fs = std::filesystem;

class WorkerMetricsDir : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("utxoiq-mdir-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  static unsigned mode_of(const std::string& path) {
    struct stat status {};
    EXPECT_EQ(::lstat(path.c_str(), &status), 0) << path;
    return status.st_mode & 0777;
  }

  fs::path root_;
};

TEST_F(WorkerMetricsDir, IsMadePrivateUnderTheDataDirectoryNamedByThePort) {
  const std::string dir = make_worker_metrics_dir((root_ / "data").string(), 8080, 4);
  EXPECT_EQ(dir, (root_ / "data" / "run" / "metrics-8080").string());
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(worker_metrics_socket_path(dir, 3), dir + "/worker-3.sock");
}

TEST_F(WorkerMetricsDir, AnExistingOneIsSetTo0700AndItsStaleSocketsRemoved) {
  const fs::path dir = root_ / "run" / "metrics-9";
  fs::create_directories(dir);
  ::chmod(dir.c_str(), 0755);
  std::ofstream(dir / "worker-1.sock") << "stale";
  EXPECT_EQ(make_worker_metrics_dir(root_.string(), 9, 2), dir.string());
  EXPECT_EQ(mode_of(dir.string()), 0700u);
  EXPECT_FALSE(fs::exists(dir / "worker-1.sock"));
}

TEST_F(WorkerMetricsDir, ASymlinkInItsPlaceIsRefused) {
  fs::create_directories(root_ / "elsewhere");
  fs::create_directories(root_ / "run");
  fs::create_directory_symlink(root_ / "elsewhere", root_ / "run" / "metrics-9");
  EXPECT_THROW(make_worker_metrics_dir(root_.string(), 9, 2), std::runtime_error);
}

TEST_F(WorkerMetricsDir, TooLongForASocketPathGivesAPrivateTemporaryDirectory) {
  const sockaddr_un address{};
  const fs::path deep = root_ / std::string(sizeof address.sun_path, 'd');
  const std::string dir = make_worker_metrics_dir(deep.string(), 8080, 2);
  EXPECT_TRUE(dir.starts_with(fs::temp_directory_path().string())) << dir;
  EXPECT_LT(worker_metrics_socket_path(dir, 1).size(), sizeof address.sun_path);
  EXPECT_EQ(mode_of(dir), 0700u);
  fs::remove(dir);
}

}  // namespace
}  // namespace utxoiq::app
