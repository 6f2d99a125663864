#pragma once
// The environment of a `utxoiq-store serve` that a test starts as a user would (RunningCommand):
// the test PostgreSQL database and Redis, the test admin key as the bootstrap key, warn-level
// logs, and Redis keys under `redis_key_prefix`, so that tests running at once never share cache
// entries, invalidations or rate-limit windows.
#include <string>

#include "support/cli_runner.hpp"

namespace utxoiq::testing {

Environment serve_environment(const std::string& database_url, const std::string& redis_key_prefix);

}  // namespace utxoiq::testing
