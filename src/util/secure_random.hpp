#pragma once
// Unpredictable bytes from OpenSSL's CSPRNG (RAND_bytes), for secrets such as API keys. A thin
// wrapper so callers need no OpenSSL headers.
#include <cstddef>
#include <string>

namespace utxoiq {

// `count` random bytes. Throws std::runtime_error when the CSPRNG fails (it is never silently
// replaced by a weaker source: a predictable key would be worse than no key).
std::string secure_random_bytes(std::size_t count);

}  // namespace utxoiq
