#pragma once
// Exponential backoff with "full jitter": the delay before retry n is drawn uniformly from
// [0, min(cap, base * multiplier^n)]. Full jitter spreads the retries of many clients that failed
// at the same moment (e.g. every pool after a PostgreSQL restart) instead of having them all come
// back in lockstep, which is what plain exponential backoff does.
#include <chrono>
#include <cstdint>
#include <random>

namespace utxoiq::resilience {

struct BackoffPolicy {
  std::chrono::milliseconds base{100};    // ceiling of the first delay
  std::chrono::milliseconds cap{10'000};  // no delay is ever longer than this
  double multiplier = 2.0;                // growth of the ceiling per attempt (>= 1)
};

class Backoff {
 public:
  // seed = 0 seeds from std::random_device; tests pass a fixed seed to be reproducible.
  explicit Backoff(BackoffPolicy policy = {}, std::uint64_t seed = 0);

  // The delay to sleep before the next retry; each call moves one attempt further.
  std::chrono::milliseconds next_delay();
  // After a success: the next failure starts again from the base delay.
  void reset() { attempt_ = 0; }
  // Number of delays handed out since construction or the last reset().
  int attempt() const { return attempt_; }
  const BackoffPolicy& policy() const { return policy_; }

  // Upper bound of the delay for the given attempt (0-based): min(cap, base * multiplier^attempt).
  static std::chrono::milliseconds ceiling(const BackoffPolicy& policy, int attempt);

 private:
  BackoffPolicy policy_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace utxoiq::resilience
