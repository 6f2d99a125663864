#pragma once
// Where backup files are kept. An interface, so that object storage (S3, GCS) can be added next to
// the directory: the engine only stores a finished local file under a name, asks for the SHA-256
// of what a location holds under that name (reading it back, so a bad copy is caught), and
// removes names that retention gives up.
#include <filesystem>
#include <optional>
#include <string>

namespace utxoiq::ops {

class BackupLocation {
 public:
  virtual ~BackupLocation() = default;
  // "file:///var/backups/NAME": what the catalogue records as the copy's location.
  virtual std::string uri(const std::string& name) const = 0;
  // Stores the local file under `name`, durably; throws std::runtime_error on failure.
  virtual void store(const std::filesystem::path& source, const std::string& name) = 0;
  // The SHA-256 of the bytes held under `name`, read back; nullopt when there is no such copy.
  virtual std::optional<std::string> sha256(const std::string& name) const = 0;
  // Removes `name` (no error when it is already gone); throws std::runtime_error on failure.
  virtual void remove(const std::string& name) = 0;
};

// A directory of the local file system (a mounted disk, NFS). It must exist: a missing directory
// is a failure, never created silently, because a mount that is not there would fill the disk
// under it instead.
class DirectoryLocation final : public BackupLocation {
 public:
  explicit DirectoryLocation(std::filesystem::path dir);
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path path(const std::string& name) const { return dir_ / name; }
  // Throws std::runtime_error when the directory does not exist or is not a directory.
  void check_exists() const;

  std::string uri(const std::string& name) const override;
  void store(const std::filesystem::path& source, const std::string& name) override;
  std::optional<std::string> sha256(const std::string& name) const override;
  void remove(const std::string& name) override;

 private:
  std::filesystem::path dir_;
};

}  // namespace utxoiq::ops
