#pragma once
// The api_keys table for `utxoiq-store keys create|list|revoke` (blocking, on a
// pg::BlockingConnection like the other operator commands). The caller makes the key and hashes it
// (domain/api_key.hpp); only the hash reaches the database.
#include <optional>
#include <string>
#include <vector>

#include "util/uuid.hpp"

namespace utxoiq::pg {
class BlockingConnection;
}

namespace utxoiq::store {

// One row of api_keys as `keys list` shows it (times as PostgreSQL prints them; never the hash).
struct ApiKeyRecord {
  std::string id;
  std::string role;
  std::optional<std::string> name;
  std::string created_at;
  std::optional<std::string> revoked_at;
  std::optional<std::string> last_used_at;
};

// Inserts a key; returns its row. `role` must be reader, writer or admin.
ApiKeyRecord insert_api_key(pg::BlockingConnection& connection, const Uuid& id,
                            const std::string& key_hash, const std::string& role,
                            const std::optional<std::string>& name);

// Every key, oldest first, revoked ones included.
std::vector<ApiKeyRecord> list_api_keys(pg::BlockingConnection& connection);

enum class RevokeOutcome { revoked, already_revoked, not_found };
// Sets revoked_at (once: revoking again keeps the first time).
RevokeOutcome revoke_api_key(pg::BlockingConnection& connection, const Uuid& id);

}  // namespace utxoiq::store
