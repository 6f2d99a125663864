#pragma once
// Something that runs Redis commands: one connection (RedisConnection) or the client that keeps
// one open (RedisClient). Scripts (redis_script.hpp) run through either, so a session hook can
// run them on a connection that is not yet handed out to everybody.
#include <string>
#include <vector>

#include "cache/redis_reply.hpp"
#include "util/task.hpp"

namespace utxoiq::cache {

class RedisCommands {
 public:
  virtual ~RedisCommands() = default;
  // One command, e.g. {"SET", key, value, "PX", "1000"}. Returns the server's reply (error
  // replies included); throws RedisUnavailable / RedisTimeout when there is no reply.
  virtual Task<RedisReply> command(std::vector<std::string> args) = 0;
};

}  // namespace utxoiq::cache
