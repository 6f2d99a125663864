// See serve_environment.hpp.
#include "support/serve_environment.hpp"

#include "support/service_under_test.hpp"
#include "support/test_servers.hpp"

namespace utxoiq::testing {

Environment serve_environment(const std::string& database_url,
                              const std::string& redis_key_prefix) {
  return {{"DATABASE_URL", database_url},
          {"REDIS_URL", TestServers::get().redis_url()},
          {"UTXOIQ_REDIS_KEY_PREFIX", redis_key_prefix},
          {"UTXOIQ_BOOTSTRAP_ADMIN_KEY", ServiceUnderTest::kAdminKey},
          {"UTXOIQ_LOG_LEVEL", "warn"}};
}

}  // namespace utxoiq::testing
