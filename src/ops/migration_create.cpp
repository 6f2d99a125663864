// Creation of new migration files (see migration_create.hpp).
#include "ops/migration_create.hpp"

#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "ops/migration_set.hpp"

namespace utxoiq::ops {
namespace {

std::string utc_timestamp(std::chrono::system_clock::time_point now) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Exclusive create ("x"): a file that exists is an error, never overwritten.
void write_new_file(const std::filesystem::path& path, const std::string& content) {
  std::FILE* file = std::fopen(path.c_str(), "wx");
  if (file == nullptr) throw std::runtime_error("cannot create " + path.string() + " (exists?)");
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  if (std::fclose(file) != 0 || !written) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

}  // namespace

CreatedMigration create_migration(const std::filesystem::path& dir, const std::string& name,
                                  std::chrono::system_clock::time_point now) {
  if (!is_valid_migration_name(name)) {
    throw std::invalid_argument("invalid migration name '" + name +
                                "': use 1-100 characters of a-z, 0-9 and _");
  }
  std::filesystem::create_directories(dir);
  const MigrationSet existing = MigrationSet::from_directory(dir);

  CreatedMigration created;
  created.version = existing.latest_version() + 1;
  created.name = name;
  created.created_at = utc_timestamp(now);
  const std::string id = migration_id(created.version, name);
  created.up_path = dir / (id + ".up.sql");
  created.down_path = dir / (id + ".down.sql");

  write_new_file(created.up_path,
                 "-- Migration " + id + " (up)\n-- Created: " + created.created_at +
                     "\n-- Runs in one transaction together with its schema_migrations row: no "
                     "BEGIN/COMMIT here.\n\n");
  try {
    write_new_file(created.down_path, "-- Migration " + id + " (down): undoes " + id +
                                          ".up.sql\n-- Created: " + created.created_at + "\n\n");
  } catch (...) {
    std::filesystem::remove(created.up_path);
    throw;
  }
  return created;
}

}  // namespace utxoiq::ops
