#pragma once
// The migration files of migrations/, compiled into the binary by cmake/migrations.cmake.
#include <span>
#include <string_view>

namespace utxoiq::ops {

struct EmbeddedSqlFile {
  std::string_view filename;  // e.g. "0001_initial.up.sql"
  std::string_view content;
};

// Every file of migrations/ in name order.
std::span<const EmbeddedSqlFile> embedded_migration_files();

}  // namespace utxoiq::ops
