// See retention_restore.hpp.
#include "ops/retention_restore.hpp"

#include <fstream>
#include <regex>
#include <sstream>

#include "ops/archive_format.hpp"
#include "ops/retention_policy.hpp"
#include "pg/blocking_connection.hpp"

namespace utxoiq::ops {

namespace {

constexpr std::size_t kRowsPerStatement = 1000;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RestoreArgumentError("cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

std::filesystem::path manifest_path(const std::filesystem::path& archive) {
  const std::string name = archive.string();
  for (const std::string suffix : {".jsonl.zst", ".manifest.json"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      return name.substr(0, name.size() - suffix.size()) + ".manifest.json";
    }
  }
  throw RestoreArgumentError("ARCHIVE must name a .jsonl.zst file or its .manifest.json");
}

const RetentionPolicy& policy_for(const std::vector<RetentionPolicy>& policies,
                                  const std::string& table) {
  for (const auto& policy : policies) {
    if (policy.table == table) return policy;
  }
  throw ArchiveCorrupt("manifest names table '" + table + "', which retention does not archive");
}

void insert_rows(pg::BlockingConnection& db, const std::string& table,
                 const std::vector<std::string>& lines) {
  for (std::size_t from = 0; from < lines.size(); from += kRowsPerStatement) {
    std::string array = "[";
    for (std::size_t i = from; i < std::min(lines.size(), from + kRowsPerStatement); ++i) {
      if (i > from) array += ',';
      array += lines[i];
    }
    array += ']';
    db.exec_params("INSERT INTO " + table +
                       " SELECT * FROM json_populate_recordset(NULL::" + table + ", $1::json)",
                   {array});
  }
}

}  // namespace

RestoreReport restore_archive(const std::string& database_url, const std::filesystem::path& archive,
                              const std::optional<std::string>& into) {
  if (into && !std::regex_match(*into, std::regex("[a-z_][a-z0-9_]{0,62}"))) {
    throw RestoreArgumentError("--into must be a table name of lowercase letters, digits and _");
  }
  const auto manifest_file = manifest_path(archive);
  const auto manifest = parse_manifest(read_file(manifest_file));
  const auto policies = retention_policies({});
  const auto& policy = policy_for(policies, manifest.table);
  const auto lines = check_archive(read_file(manifest_file.parent_path() / manifest.data_file),
                                   manifest, policy.time_column);
  const std::string table = into.value_or(manifest.table);
  pg::BlockingConnection db(database_url);
  db.exec("BEGIN");
  db.exec("SET LOCAL TimeZone = 'UTC'");
  if (into) {
    db.exec("CREATE TABLE IF NOT EXISTS " + table + " (LIKE " + manifest.table +
            " INCLUDING DEFAULTS)");
  }
  insert_rows(db, table, lines);
  db.exec("COMMIT");
  return {table, static_cast<std::int64_t>(lines.size()), manifest.sha256};
}

}  // namespace utxoiq::ops
