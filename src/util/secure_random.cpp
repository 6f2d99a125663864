// Random bytes through OpenSSL's RAND_bytes (see secure_random.hpp).
#include "util/secure_random.hpp"

#include <openssl/rand.h>

#include <limits>
#include <stdexcept>

namespace utxoiq {

std::string secure_random_bytes(std::size_t count) {
  if (count > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw std::invalid_argument("secure_random_bytes: too many bytes asked for");
  }
  std::string bytes(count, '\0');
  if (count > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("the system's random number generator failed");
  }
  return bytes;
}

}  // namespace utxoiq
