#pragma once
// A Lua script run atomically by Redis: EVALSHA with its SHA-1 (only the digest goes over the
// wire), and EVAL when the server answers NOSCRIPT (it restarted, or SCRIPT FLUSH ran), which also
// loads it for the next EVALSHA.
#include <string>
#include <vector>

#include "cache/redis_commands.hpp"
#include "cache/redis_reply.hpp"
#include "util/task.hpp"

namespace utxoiq::cache {

class RedisScript {
 public:
  explicit RedisScript(std::string source);

  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }  // 40 lower-case hex digits

  // The script's reply (an error reply when the script itself failed); throws what `redis` throws
  // when there is no reply.
  Task<RedisReply> run(RedisCommands& redis, const std::vector<std::string>& keys,
                       const std::vector<std::string>& args) const;

 private:
  std::string source_;
  std::string sha1_;
};

// SHA-1 of text as 40 lower-case hex digits (what Redis names scripts by).
std::string sha1_hex(const std::string& text);

}  // namespace utxoiq::cache
