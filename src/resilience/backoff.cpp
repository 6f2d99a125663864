// Exponential backoff with full jitter (see backoff.hpp for why full jitter).
#include "resilience/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace utxoiq::resilience {

namespace {

std::uint64_t make_seed(std::uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

}  // namespace

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed)
    : policy_(policy), rng_(make_seed(seed)) {
  if (policy_.base.count() < 0) policy_.base = std::chrono::milliseconds{0};
  if (policy_.cap < policy_.base) policy_.cap = policy_.base;
  if (!(policy_.multiplier >= 1.0)) policy_.multiplier = 1.0;  // also catches NaN
}

std::chrono::milliseconds Backoff::ceiling(const BackoffPolicy& policy, int attempt) {
  const double base = static_cast<double>(std::max<std::int64_t>(policy.base.count(), 0));
  const double cap = static_cast<double>(std::max(policy.cap.count(), policy.base.count()));
  const double multiplier = policy.multiplier >= 1.0 ? policy.multiplier : 1.0;
  // Computed in floating point and clamped before converting back, so a large attempt number
  // saturates at the cap instead of overflowing.
  const double raw = base * std::pow(multiplier, std::max(attempt, 0));
  return std::chrono::milliseconds{static_cast<std::int64_t>(std::min(raw, cap))};
}

std::chrono::milliseconds Backoff::next_delay() {
  const auto upper = ceiling(policy_, attempt_);
  if (attempt_ < 1'000'000) ++attempt_;
  std::uniform_int_distribution<std::int64_t> jitter(0, upper.count());
  return std::chrono::milliseconds{jitter(rng_)};
}

}  // namespace utxoiq::resilience
