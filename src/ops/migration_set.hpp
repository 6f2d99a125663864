#pragma once
// The migrations a binary knows: pairs of migrations/NNNN_name.up.sql and NNNN_name.down.sql,
// either compiled in (cmake/migrations.cmake) or read from a directory (--migrations-dir, tests,
// `migrate create`). A set is validated as a whole when it is built, so the migrator never sees a
// gap, a duplicate version or an up without its down.
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace utxoiq::ops {

// One file as read from the embedded list or a directory.
struct SqlFile {
  std::string filename;  // "0001_initial.up.sql", without directory
  std::string content;
};

enum class MigrationDirection { kUp, kDown };

// The parts of a migration file name: NNNN_name.up.sql / NNNN_name.down.sql with at least four
// (at most nine) digits and a name of [a-z0-9_]+.
struct MigrationFileName {
  int version = 0;
  std::string name;
  MigrationDirection direction = MigrationDirection::kUp;
  bool operator==(const MigrationFileName&) const = default;
};

// nullopt for any other file name.
std::optional<MigrationFileName> parse_migration_filename(std::string_view filename);

// A migration name: 1-100 characters of [a-z0-9_].
bool is_valid_migration_name(std::string_view name);

// "0007_add_index": the version with four digits (more when needed), "_", the name.
std::string migration_id(int version, std::string_view name);

struct Migration {
  int version = 0;
  std::string name;  // "initial"
  std::string up_sql;
  std::string down_sql;
  std::string checksum;  // migration_checksum(up_sql)
  std::string id() const { return migration_id(version, name); }
};

// The set could not be built; problems() lists every problem found, what() joins them.
class MigrationSetError : public std::runtime_error {
 public:
  explicit MigrationSetError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
  std::vector<std::string> problems_;
};

class MigrationSet {
 public:
  // Validates and pairs the files: every .sql file must be a migration file name; versions run
  // 1, 2, ... without gaps or duplicates; every up has its down of the same name and vice versa;
  // no file holds a transaction statement. Throws MigrationSetError listing every problem.
  static MigrationSet from_files(const std::vector<SqlFile>& files);
  // The files compiled into the binary.
  static MigrationSet embedded();
  // Every *.sql file directly in `dir` (other files are ignored). Throws MigrationSetError when
  // the directory cannot be read.
  static MigrationSet from_directory(const std::filesystem::path& dir);

  // In version order; migrations()[i].version == i + 1.
  const std::vector<Migration>& migrations() const noexcept { return migrations_; }
  // nullptr for a version the set does not have.
  const Migration* find(int version) const noexcept;
  // The highest version, 0 for an empty set.
  int latest_version() const noexcept { return static_cast<int>(migrations_.size()); }

 private:
  std::vector<Migration> migrations_;
};

}  // namespace utxoiq::ops
