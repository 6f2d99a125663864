// Durable writes and file hashing of durable_file.hpp, on POSIX calls (std::filesystem has no
// fsync).
#include "ops/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "util/sha256.hpp"

namespace utxoiq::ops {

namespace fs = std::filesystem;

void fsync_path(const fs::path& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  const int result = fsync(fd);
  const int error = errno;
  close(fd);
  if (result != 0) throw std::runtime_error("fsync " + path.string() + ": " + std::strerror(error));
}

void durable_rename(const fs::path& from, const fs::path& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    throw std::runtime_error("cannot rename " + from.string() + " to " + to.string() + ": " +
                             std::strerror(errno));
  }
  fsync_path(to.parent_path().empty() ? fs::path(".") : to.parent_path());
}

fs::path partial_path(const fs::path& target) {
  return target.parent_path() / ("." + target.filename().string() + ".partial");
}

void durable_copy(const fs::path& source, const fs::path& target) {
  const fs::path partial = partial_path(target);
  std::error_code error;
  fs::copy_file(source, partial, fs::copy_options::overwrite_existing, error);
  if (error) {
    fs::remove(partial, error);
    throw std::runtime_error("cannot copy " + source.string() + " to " + partial.string() + ": " +
                             error.message());
  }
  try {
    fsync_path(partial);
    durable_rename(partial, target);
  } catch (...) {
    fs::remove(partial, error);
    throw;
  }
}

std::string sha256_of_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  Sha256 hash;
  std::array<char, 1 << 16> block{};
  while (in) {
    in.read(block.data(), block.size());
    hash.update(std::string_view(block.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) throw std::runtime_error("error reading " + path.string());
  return hash.finish_hex();
}

}  // namespace utxoiq::ops
