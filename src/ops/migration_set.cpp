// Building and validating a MigrationSet (see migration_set.hpp).
#include "ops/migration_set.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "ops/embedded_migrations.hpp"
#include "ops/migration_checksum.hpp"
#include "ops/migration_sql_check.hpp"

namespace utxoiq::ops {
namespace {

constexpr std::string_view kUpSuffix = ".up.sql";
constexpr std::string_view kDownSuffix = ".down.sql";

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// The files of one version, as found; a valid set has exactly one of each.
struct VersionFiles {
  std::vector<const SqlFile*> ups;
  std::vector<const SqlFile*> downs;
};

// "0007": versions are written with at least four digits.
std::string version_label(int version) {
  std::string digits = std::to_string(version);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return digits;
}

std::vector<std::string> filenames(const std::vector<const SqlFile*>& files) {
  std::vector<std::string> out;
  for (const SqlFile* file : files) out.push_back(file->filename);
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MigrationSetError({"cannot read " + path.string()});
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

std::optional<MigrationFileName> parse_migration_filename(std::string_view filename) {
  MigrationFileName out;
  std::string_view stem;
  if (filename.ends_with(kUpSuffix)) {
    stem = filename.substr(0, filename.size() - kUpSuffix.size());
    out.direction = MigrationDirection::kUp;
  } else if (filename.ends_with(kDownSuffix)) {
    stem = filename.substr(0, filename.size() - kDownSuffix.size());
    out.direction = MigrationDirection::kDown;
  } else {
    return std::nullopt;
  }
  const auto underscore = stem.find('_');
  if (underscore == std::string_view::npos) return std::nullopt;
  const std::string_view digits = stem.substr(0, underscore);
  if (digits.size() < 4 || digits.size() > 9) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::from_chars(digits.data(), digits.data() + digits.size(), out.version);
  const std::string_view name = stem.substr(underscore + 1);
  if (!is_valid_migration_name(name)) return std::nullopt;
  out.name = std::string(name);
  return out;
}

bool is_valid_migration_name(std::string_view name) {
  return !name.empty() && name.size() <= 100 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string migration_id(int version, std::string_view name) {
  return version_label(version) + "_" + std::string(name);
}

MigrationSetError::MigrationSetError(std::vector<std::string> problems)
    : std::runtime_error("invalid migrations: " + join(problems, "; ")),
      problems_(std::move(problems)) {}

MigrationSet MigrationSet::from_files(const std::vector<SqlFile>& files) {
  std::vector<const SqlFile*> sorted;
  for (const SqlFile& file : files) sorted.push_back(&file);
  std::sort(sorted.begin(), sorted.end(),
            [](const SqlFile* a, const SqlFile* b) { return a->filename < b->filename; });

  std::vector<std::string> problems;
  std::map<int, VersionFiles> versions;
  for (const SqlFile* file : sorted) {
    const auto parsed = parse_migration_filename(file->filename);
    if (!parsed) {
      problems.push_back(file->filename +
                         ": not a migration file name (expected NNNN_name.up.sql or "
                         "NNNN_name.down.sql, name of [a-z0-9_])");
      continue;
    }
    auto& slot = versions[parsed->version];
    (parsed->direction == MigrationDirection::kUp ? slot.ups : slot.downs).push_back(file);
    if (contains_transaction_statement(file->content)) {
      problems.push_back(
          file->filename +
          ": contains a transaction statement (BEGIN, COMMIT, ROLLBACK, "
          "SAVEPOINT, ...); each migration already runs in a transaction of its own");
    }
  }

  MigrationSet set;
  int expected = 1;
  for (const auto& [version, slot] : versions) {
    if (version < expected) {
      problems.push_back("version " + version_label(version) + ": versions start at 0001");
      continue;
    }
    for (; expected < version; ++expected) {
      problems.push_back("version " + version_label(expected) +
                         " is missing: versions must run from 0001 without gaps");
    }
    expected = version + 1;
    if (slot.ups.size() > 1) {
      problems.push_back("several up files for one version: " + join(filenames(slot.ups), ", "));
    }
    if (slot.downs.size() > 1) {
      problems.push_back("several down files for one version: " +
                         join(filenames(slot.downs), ", "));
    }
    if (slot.ups.empty()) {
      for (const SqlFile* down : slot.downs) problems.push_back(down->filename + " has no up file");
      continue;
    }
    const SqlFile* up = slot.ups.front();
    const auto up_name = parse_migration_filename(up->filename)->name;
    if (slot.downs.empty()) {
      problems.push_back(up->filename + " has no down file (expected " +
                         migration_id(version, up_name) + std::string(kDownSuffix) + ")");
      continue;
    }
    const SqlFile* down = slot.downs.front();
    if (parse_migration_filename(down->filename)->name != up_name) {
      problems.push_back(up->filename + " and " + down->filename +
                         " have the same version but different names");
      continue;
    }
    set.migrations_.push_back(
        Migration{version, up_name, up->content, down->content, migration_checksum(up->content)});
  }
  if (!problems.empty()) throw MigrationSetError(std::move(problems));
  return set;
}

MigrationSet MigrationSet::embedded() {
  std::vector<SqlFile> files;
  for (const EmbeddedSqlFile& file : embedded_migration_files()) {
    files.push_back(SqlFile{std::string(file.filename), std::string(file.content)});
  }
  return from_files(files);
}

MigrationSet MigrationSet::from_directory(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  if (error) {
    throw MigrationSetError(
        {"cannot read migrations directory " + dir.string() + ": " + error.message()});
  }
  std::vector<SqlFile> files;
  for (const auto& entry : it) {
    if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
    files.push_back(SqlFile{entry.path().filename().string(), read_file(entry.path())});
  }
  return from_files(files);
}

const Migration* MigrationSet::find(int version) const noexcept {
  if (version < 1 || version > latest_version()) return nullptr;
  return &migrations_[static_cast<std::size_t>(version - 1)];
}

}  // namespace utxoiq::ops
