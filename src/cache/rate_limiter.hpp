#pragma once
// What the rate-limit middleware asks (api/rate_limit_middleware.hpp): may this API key make one
// more request now? Implemented by DistributedRateLimiter (Redis, with the in-process limiter as
// its fallback); the decision type is the in-process limiter's (resilience/sliding_window_limiter).
#include <string>

#include "resilience/sliding_window_limiter.hpp"
#include "util/task.hpp"

namespace utxoiq::cache {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Decides one request of `key` and counts it when admitted. `admin`: always admitted, counted
  // toward nothing. Never throws for an unavailable backend (that is the implementation's problem).
  virtual Task<resilience::RateLimitDecision> acquire(std::string key, bool admin) = 0;
};

}  // namespace utxoiq::cache
