// UUID text form and version 7 generation (see the header for the layout and why it is ours).
#include "util/uuid.hpp"

#include <openssl/rand.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace utxoiq {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Positions of the dashes in the canonical form.
constexpr bool is_dash_position(std::size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

// Random bytes from OpenSSL, fetched 512 at a time so that a UUID costs a memcpy rather than a call
// into the DRBG. One buffer per thread: no locking, and OpenSSL 3 keeps per-thread DRBGs anyway.
class RandomPool {
 public:
  void fill(std::uint8_t* out, std::size_t n) {
    if (available_ < n) refill();
    std::memcpy(out, buffer_ + (sizeof buffer_ - available_), n);
    available_ -= n;
  }

  std::uint32_t next_u32() {
    std::uint8_t b[4];
    fill(b, sizeof b);
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           b[3];
  }

 private:
  void refill() {
    if (RAND_bytes(buffer_, static_cast<int>(sizeof buffer_)) != 1) {
      throw std::runtime_error("uuid: the OpenSSL random generator failed");
    }
    available_ = sizeof buffer_;
  }

  std::uint8_t buffer_[512];
  std::size_t available_ = 0;
};

RandomPool& random_pool() {
  thread_local RandomPool pool;
  return pool;
}

// 30-bit counter: 12 bits in rand_a (byte 6 low nibble + byte 7) and the top 18 bits of rand_b.
constexpr std::uint32_t kCounterMax = (1u << 30) - 1;
// A new millisecond starts the counter at a random value below half its range, so there is
// always room for at least 2^29 more ids in that millisecond.
constexpr std::uint32_t kCounterSeedMask = (1u << 29) - 1;

struct GeneratorState {
  std::uint64_t last_ms = 0;
  std::uint32_t counter = 0;
};

Uuid make_uuid(std::uint64_t unix_ms, std::uint32_t counter, RandomPool& random) {
  Uuid id;
  auto& b = id.bytes;
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(unix_ms >> (40 - 8 * i));
  // Counter bits 29..18 -> rand_a (12 bits), 17..0 -> first 18 bits of rand_b.
  const std::uint32_t rand_a = counter >> 18;
  const std::uint32_t rand_b_high = counter & 0x3FFFF;
  b[6] = static_cast<std::uint8_t>(0x70 | (rand_a >> 8));
  b[7] = static_cast<std::uint8_t>(rand_a);
  b[8] = static_cast<std::uint8_t>(0x80 | (rand_b_high >> 12));  // variant 10 + 6 counter bits
  b[9] = static_cast<std::uint8_t>(rand_b_high >> 4);
  random.fill(&b[10], 6);
  b[10] = static_cast<std::uint8_t>((rand_b_high << 4) | (b[10] & 0x0F));
  return id;
}

std::uint64_t to_unix_ms(Timestamp t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t).time_since_epoch().count();
  // The field is 48 bits and unsigned: times before 1970 are not ids we make.
  return ms < 0 ? 0 : static_cast<std::uint64_t>(ms) & 0xFFFFFFFFFFFFULL;
}

}  // namespace

std::uint64_t Uuid::v7_unix_ms() const {
  std::uint64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = (ms << 8) | bytes[i];
  return ms;
}

void Uuid::write(char* out) const {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (is_dash_position(pos)) out[pos++] = '-';
    out[pos++] = kHexDigits[bytes[i] >> 4];
    out[pos++] = kHexDigits[bytes[i] & 0x0F];
  }
}

std::string Uuid::to_string() const {
  std::string out(kStringSize, '\0');
  write(out.data());
  return out;
}

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != kStringSize) return std::nullopt;
  Uuid id;
  std::size_t byte = 0;
  for (std::size_t i = 0; i < kStringSize;) {
    if (is_dash_position(i)) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int high = hex_value(text[i]);
    const int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    id.bytes[byte++] = static_cast<std::uint8_t>(high << 4 | low);
    i += 2;
  }
  return id;
}

Uuid new_uuid_v7_at(Timestamp at) {
  RandomPool& random = random_pool();
  return make_uuid(to_unix_ms(at), random.next_u32() & kCounterSeedMask, random);
}

Uuid new_uuid_v7() {
  thread_local GeneratorState state;
  RandomPool& random = random_pool();
  const std::uint64_t now_ms = to_unix_ms(now_utc());
  if (now_ms > state.last_ms) {
    state.last_ms = now_ms;
    state.counter = random.next_u32() & kCounterSeedMask;
  } else if (state.counter < kCounterMax) {
    // Same millisecond, or the clock stepped back: keep the last timestamp, count up.
    ++state.counter;
  } else {
    ++state.last_ms;
    state.counter = random.next_u32() & kCounterSeedMask;
  }
  return make_uuid(state.last_ms, state.counter, random);
}

}  // namespace utxoiq
