#pragma once
// What the authentication middleware (api/auth_middleware.hpp) asks about failed authentications
// of a client address: is it blocked now (asked before the key is looked at, so a right guess is
// not told apart from a wrong one while blocked), and, after a failure, does that failure answer
// 429 instead of 401? Implemented by DistributedFailedAuthLimiter (one count per address shared by
// every process through Redis, this process's own count as the fallback).
#include <cstdint>
#include <optional>
#include <string>

#include "util/task.hpp"

namespace utxoiq::cache {

class FailedAuthLimiter {
 public:
  virtual ~FailedAuthLimiter() = default;
  // Whole seconds (>= 1) until `address` may try again, or nullopt. Decided from what this process
  // knows, without a round trip: every request to a key-protected route asks it, once, and is
  // refused 429 on a yes (which the implementation may count as such a refusal).
  virtual std::optional<std::int64_t> blocked(const std::string& address) = 0;
  // Counts one failed authentication of `address`. Whole seconds (>= 1) when the address was
  // already over the limit (answer 429 with that Retry-After), nullopt otherwise (answer 401).
  // Never throws for an unavailable backend (that is the implementation's problem).
  virtual Task<std::optional<std::int64_t>> record_failure(std::string address) = 0;
};

}  // namespace utxoiq::cache
