// SQL of the keys subcommand (see api_key_admin.hpp).
#include "store/api_key_admin.hpp"

#include "pg/blocking_connection.hpp"
#include "store/statement_tables.hpp"

namespace utxoiq::store {

namespace {

// Run by the CLI on a BlockingConnection, not through the pool; tagged all the same.
constexpr pg::TaggedSql kInsert{
    {"api_key_admin", "insert", pg::StatementAccess::write},
    "INSERT INTO api_keys (id, key_hash, role, name) VALUES ($1, $2, $3, $4) "
    "RETURNING id, role, name, created_at, revoked_at, last_used_at"};
constexpr pg::TaggedSql kList{
    {"api_key_admin", "list", pg::StatementAccess::read},
    "SELECT id, role, name, created_at, revoked_at, last_used_at FROM api_keys "
    "ORDER BY created_at, id"};
// One statement: the outcome and the change cannot disagree under a concurrent revoke.
constexpr pg::TaggedSql kRevoke{
    {"api_key_admin", "revoke", pg::StatementAccess::write},
    "WITH target AS (SELECT id, revoked_at FROM api_keys WHERE id = $1 FOR UPDATE), "
    "changed AS (UPDATE api_keys SET revoked_at = now() WHERE id IN "
    "(SELECT id FROM target WHERE revoked_at IS NULL) RETURNING id) "
    "SELECT (SELECT count(*) FROM target) AS found, (SELECT count(*) FROM changed) AS changed"};
constexpr pg::TaggedSql kTable[] = {kInsert, kList, kRevoke};

ApiKeyRecord record_from_row(const pg::BlockingResult& result, std::size_t row) {
  ApiKeyRecord record;
  record.id = result.at(row, "id").value_or("");
  record.role = result.at(row, "role").value_or("");
  record.name = result.at(row, "name");
  record.created_at = result.at(row, "created_at").value_or("");
  record.revoked_at = result.at(row, "revoked_at");
  record.last_used_at = result.at(row, "last_used_at");
  return record;
}

}  // namespace

std::span<const pg::TaggedSql> api_key_admin_statements() {
  return kTable;
}

ApiKeyRecord insert_api_key(pg::BlockingConnection& connection, const Uuid& id,
                            const std::string& key_hash, const std::string& role,
                            const std::optional<std::string>& name) {
  const auto result =
      connection.exec_params(std::string(kInsert.sql), {id.to_string(), key_hash, role, name});
  return record_from_row(result, 0);
}

std::vector<ApiKeyRecord> list_api_keys(pg::BlockingConnection& connection) {
  const auto result = connection.exec_params(std::string(kList.sql));
  std::vector<ApiKeyRecord> records;
  records.reserve(result.rows.size());
  for (std::size_t row = 0; row < result.rows.size(); ++row) {
    records.push_back(record_from_row(result, row));
  }
  return records;
}

RevokeOutcome revoke_api_key(pg::BlockingConnection& connection, const Uuid& id) {
  const auto result = connection.exec_params(std::string(kRevoke.sql), {id.to_string()});
  if (result.at(0, "found").value_or("0") == "0") return RevokeOutcome::not_found;
  if (result.at(0, "changed").value_or("0") == "0") return RevokeOutcome::already_revoked;
  return RevokeOutcome::revoked;
}

}  // namespace utxoiq::store
