// See worker_metrics_dir.hpp.
#include "app/worker_metrics_dir.hpp"

#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace utxoiq::app {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
  throw std::runtime_error("metrics socket directory " + path + ": " + what +
                           (error != 0 ? std::string(": ") + std::strerror(error) : ""));
}

// A directory (not a symlink to one) owned by this user, then mode 0700.
void make_private(const std::string& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) fail("cannot stat", path, errno);
  if (!S_ISDIR(status.st_mode)) fail("not a directory", path, 0);
  if (status.st_uid != ::geteuid()) fail("owned by another user", path, 0);
  if (::chmod(path.c_str(), 0700) != 0) fail("cannot chmod 0700", path, errno);
}

bool fits(const std::string& dir, int count) {
  const sockaddr_un address{};
  return worker_metrics_socket_path(dir, count - 1).size() < sizeof address.sun_path;
}

}  // namespace

std::string worker_metrics_socket_path(const std::string& dir, int index) {
  assert(index >= 0);
  return dir + "/worker-" + std::to_string(index) + ".sock";
}

std::string make_worker_metrics_dir(const std::string& data_dir, std::uint16_t port, int count) {
  assert(count >= 1);
  const std::filesystem::path run = std::filesystem::absolute(data_dir) / "run";
  const std::string dir = (run / ("metrics-" + std::to_string(port))).string();
  if (fits(dir, count)) {
    std::error_code error;
    std::filesystem::create_directories(run, error);
    if (error) fail("cannot create", run.string(), error.value());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) fail("cannot create", dir, errno);
    make_private(dir);
    for (int i = 0; i < count; ++i) ::unlink(worker_metrics_socket_path(dir, i).c_str());
    return dir;
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "utxoiq-metrics-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) fail("cannot create", pattern, errno);
  std::string temporary(buffer.data());
  if (!fits(temporary, count)) fail("socket paths too long", temporary, 0);
  return temporary;
}

}  // namespace utxoiq::app
