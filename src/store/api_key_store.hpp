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

class PgApiKeys final : public ApiKeyDirectory {
 public:
  explicit PgApiKeys(pg::Pool& pool) : pool_(pool) {}

  Task<std::vector<ActiveApiKey>> load_active() override;
  Task<std::optional<ActiveApiKey>> find_active(const std::string& key_hash) override;
  Task<void> record_use(const std::vector<Uuid>& ids, Timestamp at) override;

  // Makes the key with this hash an active admin key: inserted if new, else given the admin role
  // and un-revoked (UTXOIQ_BOOTSTRAP_ADMIN_KEY means "this key is an admin key", so it holds after
  // every start). Safe when several instances start at once.
  Task<void> ensure_admin(const std::string& key_hash, const std::string& name);

 private:
  pg::Pool& pool_;
};

}  // namespace utxoiq::store
