#pragma once
// `migrate create NAME`: writes the next pair of migration files into a migrations directory.
#include <chrono>
#include <filesystem>
#include <string>

#include "ops/migration_report.hpp"

namespace utxoiq::ops {

// Writes NNNN_name.up.sql and NNNN_name.down.sql into `dir` (created if missing), NNNN being one
// more than the highest version there (0001 in an empty directory). Both files start with a
// comment naming the migration and its creation time `now` in UTC. Throws std::invalid_argument
// for a name that is not 1-100 characters of [a-z0-9_], MigrationSetError when the files already
// in `dir` do not form a valid set, std::runtime_error when a file cannot be written (an existing
// file is never overwritten).
CreatedMigration create_migration(
    const std::filesystem::path& dir, const std::string& name,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace utxoiq::ops
