#pragma once
// Why a Redis call got no answer. Every one of them means "carry on without Redis": the cache
// reads the database instead, the rate limiter falls back to its in-process limits, and the
// request succeeds. None of them is ever shown to an HTTP client.
#include <stdexcept>
#include <string>

namespace utxoiq::cache {

// Not configured, not connected, circuit open, connection lost while waiting, or refused by the
// server during connection set-up (bad password, bad db).
class RedisUnavailable : public std::runtime_error {
 public:
  explicit RedisUnavailable(const std::string& why) : std::runtime_error("redis: " + why) {}
};

// No reply within the command timeout. The connection is closed when this happens (its replies
// can no longer be trusted to be in step) and re-opened in the background.
class RedisTimeout : public RedisUnavailable {
 public:
  explicit RedisTimeout(const std::string& why) : RedisUnavailable(why) {}
};

}  // namespace utxoiq::cache
