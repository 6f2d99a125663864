#pragma once
// SHA-256 over bytes, as lowercase hex: migration checksums, API key hashes, archive and backup
// manifests. A thin wrapper of OpenSSL's EVP interface (no hashing code of our own), so callers
// need neither OpenSSL headers nor its error handling.
#include <memory>
#include <string>
#include <string_view>

namespace utxoiq {

// Incremental hashing, for data that arrives in pieces (files read in blocks, streamed archives).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // The digest of everything given to update(), as 64 lowercase hex characters. The object is
  // reset afterwards and can hash new data.
  std::string finish_hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The SHA-256 of `bytes` as 64 lowercase hex characters.
std::string sha256_hex(std::string_view bytes);

}  // namespace utxoiq
