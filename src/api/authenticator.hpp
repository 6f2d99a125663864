#pragma once
// Who holds a presented API key: the ApiKeyRing answers from memory; only a key the ring does not
// know is looked up in the database (rate-limited, see api_key_ring.hpp). refresh() reloads the
// ring from api_keys — the service runs it every 2 s, which is what makes a revocation effective
// within seconds on every instance — and flush_usage() writes last_used_at for the keys used since
// the last flush in one statement, so requests never wait for it.
#include <optional>
#include <string_view>

#include "api/api_key_ring.hpp"
#include "http/principal.hpp"
#include "store/api_key_store.hpp"
#include "util/task.hpp"

namespace utxoiq::api {

class Authenticator {
 public:
  explicit Authenticator(store::ApiKeyDirectory& directory, ApiKeyRing::Options options = {})
      : directory_(directory), ring_(options) {}

  // The principal of an active key; nullopt for an unknown, revoked or absurdly long one.
  Task<std::optional<http::Principal>> authenticate(std::string_view presented_key);

  // Replaces the ring with the active keys of the table. On a database error the ring is kept
  // as it is (known keys keep working through an outage) and the error propagates.
  Task<void> refresh();
  // Records the use of the keys used since the last flush; on failure they are kept for the next.
  Task<void> flush_usage();

  const ApiKeyRing& ring() const { return ring_; }

 private:
  store::ApiKeyDirectory& directory_;
  ApiKeyRing ring_;
};

}  // namespace utxoiq::api
