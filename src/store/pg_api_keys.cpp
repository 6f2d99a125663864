// SQL of the api_keys table for the service (see api_key_store.hpp).
#include "pg/pool.hpp"
#include "store/api_key_store.hpp"
#include "store/internal/sql_values.hpp"
#include "store/statement_tables.hpp"

namespace utxoiq::store {

namespace {

constexpr std::string_view kLoadActiveSql =
    "SELECT id, key_hash, role FROM api_keys WHERE revoked_at IS NULL";
constexpr std::string_view kFindActiveSql =
    "SELECT id, key_hash, role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL";
// GREATEST: a batch of another instance that ran later is not overwritten by an older time.
constexpr std::string_view kRecordUseSql =
    "UPDATE api_keys SET last_used_at = GREATEST(last_used_at, $2::timestamptz) "
    "WHERE id = ANY($1::uuid[])";
// The outer SELECT's snapshot predates the INSERT: it sees the row only when it existed before.
// No row at all: another instance inserted it concurrently (then it is active).
constexpr std::string_view kEnsureAdminSql =
    "WITH made AS (INSERT INTO api_keys (id, key_hash, role, name) VALUES ($1, $2, 'admin', $3) "
    "ON CONFLICT (key_hash) DO NOTHING RETURNING 1) "
    "SELECT 'created' FROM made UNION ALL "
    "SELECT CASE WHEN revoked_at IS NULL THEN 'active' ELSE 'revoked' END "
    "FROM api_keys WHERE key_hash = $2";

constexpr auto kRead = pg::StatementAccess::read;
constexpr auto kWrite = pg::StatementAccess::write;
constexpr pg::TaggedSql kLoadActive{{"api_keys", "load_active", kRead}, kLoadActiveSql};
constexpr pg::TaggedSql kFindActive{{"api_keys", "find_active", kRead}, kFindActiveSql};
constexpr pg::TaggedSql kRecordUse{{"api_keys", "record_use", kWrite}, kRecordUseSql};
constexpr pg::TaggedSql kEnsureAdmin{{"api_keys", "ensure_admin", kWrite}, kEnsureAdminSql};
constexpr pg::TaggedSql kTable[] = {kLoadActive, kFindActive, kRecordUse, kEnsureAdmin};

ActiveApiKey key_from_row(const pg::Result& r, int row) {
  return ActiveApiKey{row_uuid(r, row, 0), std::string(r.text(row, 1)),
                      std::string(r.text(row, 2))};
}

}  // namespace

std::span<const pg::TaggedSql> api_key_statements() {
  return kTable;
}

Task<std::vector<ActiveApiKey>> PgApiKeys::load_active() {
  const pg::Result result = co_await pool_.execute(kLoadActive);
  std::vector<ActiveApiKey> keys;
  keys.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) keys.push_back(key_from_row(result, row));
  co_return keys;
}

Task<std::optional<ActiveApiKey>> PgApiKeys::find_active(const std::string& key_hash) {
  const pg::Result result = co_await pool_.execute(kFindActive, pg::params(key_hash));
  if (result.empty()) co_return std::nullopt;
  co_return key_from_row(result, 0);
}

Task<void> PgApiKeys::record_use(const std::vector<Uuid>& ids, Timestamp at) {
  if (ids.empty()) co_return;
  std::vector<std::string> texts;
  texts.reserve(ids.size());
  for (const auto& id : ids) texts.push_back(id.to_string());
  co_await pool_.execute(kRecordUse, pg::params(texts, sql_time(at)));
}

Task<BootstrapKey> PgApiKeys::ensure_admin(const std::string& key_hash, const std::string& name) {
  const pg::Result result =
      co_await pool_.execute(kEnsureAdmin, pg::params(sql_uuid(new_uuid_v7()), key_hash, name));
  if (result.empty()) co_return BootstrapKey::active;
  const std::string_view outcome = result.text(0, 0);
  if (outcome == "created") co_return BootstrapKey::created;
  co_return outcome == "revoked" ? BootstrapKey::revoked : BootstrapKey::active;
}

}  // namespace utxoiq::store
