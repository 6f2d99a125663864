#pragma once
// The shared count of failed authentications behind DistributedFailedAuthLimiter: one log per
// client address per window, common to every process (RedisFailureCounts). An interface so that the
// limiter's decision is tested on a fake (tests/unit) and the Redis script on a real server
// (tests/integration).
#include <cstdint>
#include <optional>
#include <string>

#include "resilience/clock.hpp"
#include "util/task.hpp"

namespace utxoiq::cache {

struct FailureCount {
  std::uint32_t before = 0;  // failures of the address in the window before this one
  // With this one counted, how long until the address is under the limit again: > 0 exactly when
  // before + 1 >= limit (the address is now blocked), zero otherwise.
  resilience::Duration blocked_for{};
};

class FailureCounts {
 public:
  virtual ~FailureCounts() = default;
  // Counts one failure of `address` in the shared log; nullopt when the log is unavailable
  // (nothing counted). Never throws.
  virtual Task<std::optional<FailureCount>> add(const std::string& address) = 0;
};

}  // namespace utxoiq::cache
