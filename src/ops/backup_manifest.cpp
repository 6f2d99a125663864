// Table summaries and the manifest's JSON (see backup_manifest.hpp).
#include "ops/backup_manifest.hpp"

#include <boost/json/array.hpp>
#include <map>
#include <stdexcept>

#include "pg/blocking_connection.hpp"

namespace utxoiq::ops {
namespace {

constexpr const char* kListTables = R"sql(
SELECT c.relname AS name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS ident
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
ORDER BY c.relname)sql";

std::string summary_sql(const std::string& ident) {
  return "SELECT count(*) AS rows, coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)"
         "::bigint::numeric), 0)::text AS checksum FROM " +
         ident + " AS t";
}

}  // namespace

std::vector<TableSummary> summarise_tables(pg::BlockingConnection& connection) {
  const auto tables = connection.exec(kListTables);
  std::vector<TableSummary> summaries;
  for (const auto& row : tables.rows) {
    const auto result = connection.exec(summary_sql(*row.at(1)));
    summaries.push_back({.table = *row.at(0),
                         .rows = std::stoll(*result.rows.at(0).at(0)),
                         .checksum = *result.rows.at(0).at(1)});
  }
  return summaries;
}

int server_version_num(pg::BlockingConnection& connection) {
  return std::stoi(*connection.exec("SHOW server_version_num").rows.at(0).at(0));
}

BackupManifest take_manifest(pg::BlockingConnection& connection) {
  BackupManifest manifest;
  manifest.server_version = *connection.exec("SHOW server_version").rows.at(0).at(0);
  const auto version = connection.exec(
      "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE "
      "(SELECT coalesce(max(version), 0) FROM schema_migrations) END");
  manifest.schema_version = std::stoi(*version.rows.at(0).at(0));
  manifest.tables = summarise_tables(connection);
  return manifest;
}

std::vector<std::string> compare_tables(const std::vector<TableSummary>& expected,
                                        const std::vector<TableSummary>& actual) {
  std::map<std::string, const TableSummary*> restored;
  for (const auto& t : actual) restored[t.table] = &t;
  std::vector<std::string> differences;
  for (const auto& want : expected) {
    const auto it = restored.find(want.table);
    if (it == restored.end()) {
      differences.push_back("table " + want.table + ": missing from the restore");
      continue;
    }
    const TableSummary& got = *it->second;
    if (got.rows != want.rows) {
      differences.push_back("table " + want.table + ": rows " + std::to_string(want.rows) +
                            " in the backup, " + std::to_string(got.rows) + " restored");
    } else if (got.checksum != want.checksum) {
      differences.push_back("table " + want.table + ": checksum differs");
    }
    restored.erase(it);
  }
  for (const auto& [name, summary] : restored) {
    differences.push_back("table " + name + ": in the restore but not in the backup");
  }
  return differences;
}

boost::json::object manifest_to_json(const BackupManifest& manifest) {
  boost::json::array tables;
  for (const auto& t : manifest.tables) {
    tables.push_back({{"table", t.table}, {"rows", t.rows}, {"checksum", t.checksum}});
  }
  return {{"server_version", manifest.server_version},
          {"schema_version", manifest.schema_version},
          {"sha256", manifest.sha256},
          {"bytes", manifest.bytes},
          {"tables", std::move(tables)}};
}

BackupManifest manifest_from_json(const boost::json::value& json) {
  try {
    const auto& object = json.as_object();
    BackupManifest manifest;
    manifest.server_version = object.at("server_version").as_string().c_str();
    manifest.schema_version = static_cast<int>(object.at("schema_version").to_number<int>());
    manifest.sha256 = object.at("sha256").as_string().c_str();
    manifest.bytes = object.at("bytes").to_number<std::int64_t>();
    for (const auto& t : object.at("tables").as_array()) {
      const auto& table = t.as_object();
      manifest.tables.push_back({.table = table.at("table").as_string().c_str(),
                                 .rows = table.at("rows").to_number<std::int64_t>(),
                                 .checksum = table.at("checksum").as_string().c_str()});
    }
    return manifest;
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("backup manifest is not readable: ") + e.what());
  }
}

}  // namespace utxoiq::ops
