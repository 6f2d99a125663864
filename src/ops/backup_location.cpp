// The directory location of backup_location.hpp.
#include "ops/backup_location.hpp"

#include <stdexcept>

#include "ops/durable_file.hpp"

namespace utxoiq::ops {

namespace fs = std::filesystem;

DirectoryLocation::DirectoryLocation(fs::path dir) : dir_(fs::absolute(dir).lexically_normal()) {}

void DirectoryLocation::check_exists() const {
  std::error_code error;
  if (!fs::is_directory(dir_, error)) {
    throw std::runtime_error("backup directory " + dir_.string() + " does not exist");
  }
}

std::string DirectoryLocation::uri(const std::string& name) const {
  return "file://" + (dir_ / name).string();
}

void DirectoryLocation::store(const fs::path& source, const std::string& name) {
  check_exists();
  if (fs::equivalent(source.parent_path(), dir_)) return;  // already here
  durable_copy(source, dir_ / name);
}

std::optional<std::string> DirectoryLocation::sha256(const std::string& name) const {
  std::error_code error;
  if (!fs::is_regular_file(dir_ / name, error)) return std::nullopt;
  return sha256_of_file(dir_ / name);
}

void DirectoryLocation::remove(const std::string& name) {
  std::error_code error;
  fs::remove(dir_ / name, error);
  if (error) {
    throw std::runtime_error("cannot remove " + (dir_ / name).string() + ": " + error.message());
  }
}

}  // namespace utxoiq::ops
