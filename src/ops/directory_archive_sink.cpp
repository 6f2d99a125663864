// See directory_archive_sink.hpp.
#include "ops/directory_archive_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace utxoiq::ops {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

// Closes the descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void write_all(int fd, std::string_view bytes, const fs::path& path) {
  while (!bytes.empty()) {
    const auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write", path);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void fsync_path(const fs::path& path, int flags) {
  Fd file{::open(path.c_str(), flags)};
  if (file.fd < 0) fail("cannot open", path);
  if (::fsync(file.fd) != 0) fail("cannot fsync", path);
}

}  // namespace

DirectoryArchiveSink::DirectoryArchiveSink(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_);
}

fs::path DirectoryArchiveSink::path_of(const std::string& name) const {
  assert(!name.empty() && name.front() != '/' && name.find("..") == std::string::npos);
  return root_ / name;
}

void DirectoryArchiveSink::put(const std::string& name, std::string_view bytes) {
  const fs::path target = path_of(name);
  fs::create_directories(target.parent_path());
  const fs::path temp = target.string() + ".tmp";
  {
    Fd file{::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
    if (file.fd < 0) fail("cannot create", temp);
    write_all(file.fd, bytes, temp);
    if (::fsync(file.fd) != 0) fail("cannot fsync", temp);
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) fail("cannot rename to", target);
  fsync_path(target.parent_path(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

std::string DirectoryArchiveSink::get(const std::string& name) {
  const fs::path path = path_of(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read", path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

void DirectoryArchiveSink::remove(const std::string& name) {
  std::error_code error;
  fs::remove(path_of(name), error);
  fs::remove(path_of(name).string() + ".tmp", error);
}

std::string DirectoryArchiveSink::uri(const std::string& name) const {
  return "file://" + fs::absolute(path_of(name)).lexically_normal().string();
}

}  // namespace utxoiq::ops
