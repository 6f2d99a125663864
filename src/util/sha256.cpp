// SHA-256 through OpenSSL EVP (see sha256.hpp). Failures of OpenSSL here mean a broken library or
// out of memory, so they throw std::runtime_error rather than returning codes.
#include "util/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace utxoiq {

struct Sha256::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

namespace {

// Fetched once: with OpenSSL 3, EVP_sha256() makes every EVP_DigestInit_ex look the algorithm up
// again in the provider tables, which cost more than hashing an API key (seen in a profile of the
// authenticated request path). Kept for the life of the process.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (algorithm == nullptr) throw std::runtime_error("SHA-256: EVP_MD_fetch failed");
  return algorithm;
}

void begin(EVP_MD_CTX* ctx) {
  if (EVP_DigestInit_ex(ctx, sha256_algorithm(), nullptr) != 1) {
    throw std::runtime_error("SHA-256: EVP_DigestInit_ex failed");
  }
}

}  // namespace

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  if (state_->ctx == nullptr) throw std::runtime_error("SHA-256: EVP_MD_CTX_new failed");
  begin(state_->ctx);
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view bytes) {
  if (bytes.empty()) return;
  if (EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("SHA-256: EVP_DigestUpdate failed");
  }
}

std::string Sha256::finish_hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(state_->ctx, digest.data(), &length) != 1) {
    throw std::runtime_error("SHA-256: EVP_DigestFinal_ex failed");
  }
  begin(state_->ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

std::string sha256_hex(std::string_view bytes) {
  // One context per thread, reused: a new one cost three allocations inside OpenSSL per call
  // (context, provider state), once per authenticated request (bench/profile.sh --mallocs).
  // finish_hex() leaves it initialized for the next digest.
  thread_local Sha256 hash;
  try {
    hash.update(bytes);
    return hash.finish_hex();
  } catch (...) {
    hash = Sha256();  // never leave half a digest for the next call
    throw;
  }
}

}  // namespace utxoiq
