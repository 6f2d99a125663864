#pragma once
// The idempotency_keys table (migration 0003): claiming a key inside a write's transaction,
// reading the answer remembered for it, and deleting keys past their 24 hours.
//
// Claiming is an INSERT ... ON CONFLICT in the write's own transaction. A second request with
// the same key blocks on the first one's uncommitted row; once that commits, the claim finds the
// key taken and the second request reads the first one's answer; if it rolls back, the second
// request claims the key itself. So two requests never both write.
#include <chrono>
#include <cstdint>
#include <string_view>

#include "pg/params.hpp"
#include "store/metric_store.hpp"
#include "util/task.hpp"

namespace utxoiq::pg {
class Pool;
class Transaction;
}  // namespace utxoiq::pg

namespace utxoiq::store {

inline constexpr std::chrono::hours kIdempotencyKeyLifetime{24};

// The statement that claims the key: it returns one row when the key is ours now (new, or
// expired and taken over), none when it is held by another request.
pg::Statement claim_idempotency_key_statement(const IdempotencyClaim& claim);

// The answer stored for a key that could not be claimed (read in the same transaction, after the
// claim, so it sees the committed row the claim waited for).
Task<StoredAnswer> read_stored_answer(pg::Transaction& tx, std::string_view scope,
                                      std::string_view key);

// Deletes expired keys, `batch` rows per statement so that no statement holds many row locks or
// runs long; returns how many were deleted.
Task<std::int64_t> delete_expired_idempotency_keys(pg::Pool& pool, int batch = 5000);

}  // namespace utxoiq::store
