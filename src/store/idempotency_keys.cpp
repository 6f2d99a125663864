// SQL of the idempotency_keys table (see idempotency_keys.hpp).
#include "store/idempotency_keys.hpp"

#include <string>

#include "pg/pool.hpp"
#include "pg/transaction.hpp"
#include "store/statement_tables.hpp"

namespace utxoiq::store {

namespace {

// The lifetime is a parameter (seconds) rather than text in the SQL so that the constant above
// is the only place it is written.
constexpr std::string_view kClaimSql = R"sql(
INSERT INTO idempotency_keys AS k
  (scope, idempotency_key, request_sha256, status, response_body, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, now(), now() + make_interval(secs => $6))
ON CONFLICT (scope, idempotency_key) DO UPDATE
  SET request_sha256 = EXCLUDED.request_sha256, status = EXCLUDED.status,
      response_body = EXCLUDED.response_body, created_at = EXCLUDED.created_at,
      expires_at = EXCLUDED.expires_at
  WHERE k.expires_at <= now()
RETURNING 1)sql";

constexpr std::string_view kReadSql = R"sql(
SELECT request_sha256, status, response_body
FROM idempotency_keys
WHERE scope = $1 AND idempotency_key = $2)sql";

constexpr std::string_view kDeleteExpiredSql = R"sql(
DELETE FROM idempotency_keys
WHERE (scope, idempotency_key) IN (
  SELECT scope, idempotency_key FROM idempotency_keys
  WHERE expires_at <= now()
  LIMIT $1
  FOR UPDATE SKIP LOCKED))sql";

constexpr auto kWrite = pg::StatementAccess::write;
// The claim and the read run in the metric write transaction (pg_metric_writer.cpp).
constexpr pg::TaggedSql kClaim{{"idempotency_keys", "claim", kWrite}, kClaimSql};
constexpr pg::TaggedSql kRead{{"idempotency_keys", "read_stored_answer", pg::StatementAccess::read},
                              kReadSql};
constexpr pg::TaggedSql kDeleteExpired{{"idempotency_keys", "delete_expired", kWrite},
                                       kDeleteExpiredSql};
constexpr pg::TaggedSql kTable[] = {kClaim, kRead, kDeleteExpired};

}  // namespace

std::span<const pg::TaggedSql> idempotency_key_statements() {
  return kTable;
}

pg::Statement claim_idempotency_key_statement(const IdempotencyClaim& claim) {
  const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(kIdempotencyKeyLifetime);
  return {std::string(kClaim.sql),
          pg::params(claim.scope, claim.key, claim.request_sha256, claim.status,
                     claim.response_body, static_cast<std::int64_t>(lifetime.count())),
          kClaim.tag};
}

Task<StoredAnswer> read_stored_answer(pg::Transaction& tx, std::string_view scope,
                                      std::string_view key) {
  auto params = pg::params(scope, key);
  const auto result = co_await tx.execute(kRead, std::move(params));
  if (result.empty()) {
    // The claim saw the row, so it exists until this transaction ends; not finding it means the
    // schema or the code is wrong.
    throw std::logic_error("idempotency key vanished between claim and read");
  }
  co_return StoredAnswer{std::string(result.text(0, 0)), static_cast<int>(result.int64(0, 1)),
                         std::string(result.text(0, 2))};
}

Task<std::int64_t> delete_expired_idempotency_keys(pg::Pool& pool, int batch) {
  std::int64_t total = 0;
  for (;;) {
    auto params = pg::params(batch);
    const auto result = co_await pool.execute(kDeleteExpired, std::move(params));
    total += result.affected_rows();
    if (result.affected_rows() < batch) break;
  }
  co_return total;
}

}  // namespace utxoiq::store
