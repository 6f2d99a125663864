// Constant-time equality through CRYPTO_memcmp (see constant_time.hpp).
#include "util/constant_time.hpp"

#include <openssl/crypto.h>

namespace utxoiq {

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace utxoiq
