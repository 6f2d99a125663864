#pragma once
// The api_keys table as the service's authentication sees it (asynchronous, on the pool): the
// active keys to hold in memory, one key by hash for a key not yet held, the batched last_used_at
// update, and the bootstrap admin key. The key itself is never stored: only its SHA-256
// (domain/api_key.hpp).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "util/task.hpp"
#include "util/time.hpp"
#include "util/uuid.hpp"

namespace utxoiq::pg {
class Pool;
}

namespace utxoiq::store {

struct ActiveApiKey {
  Uuid id;
  std::string key_hash;  // 64 lowercase hex characters
  std::string role;      // reader | writer | admin
  bool operator==(const ActiveApiKey&) const = default;
};

class ApiKeyDirectory {
 public:
  virtual ~ApiKeyDirectory() = default;
  // Every key that is not revoked.
  virtual Task<std::vector<ActiveApiKey>> load_active() = 0;
  // The key with this hash when it exists and is not revoked.
  virtual Task<std::optional<ActiveApiKey>> find_active(const std::string& key_hash) = 0;
  // Sets last_used_at = `at` for these keys (one statement for all).
  virtual Task<void> record_use(const std::vector<Uuid>& ids, Timestamp at) = 0;
};

// What ensure_admin found: the key made now, or one that existed (still active, or revoked).
enum class BootstrapKey { created, active, revoked };

class PgApiKeys final : public ApiKeyDirectory {
 public:
  explicit PgApiKeys(pg::Pool& pool) : pool_(pool) {}

  Task<std::vector<ActiveApiKey>> load_active() override;
  Task<std::optional<ActiveApiKey>> find_active(const std::string& key_hash) override;
  Task<void> record_use(const std::vector<Uuid>& ids, Timestamp at) override;

  // The bootstrap admin key (api.md): inserted as an admin key when no key has this hash; a key
  // that exists keeps its role and its revocation (a revoked bootstrap key stays revoked). Says
  // which. Safe when several instances start at once.
  Task<BootstrapKey> ensure_admin(const std::string& key_hash, const std::string& name);

 private:
  pg::Pool& pool_;
};

}  // namespace utxoiq::store
