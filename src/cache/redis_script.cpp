// EVALSHA with EVAL fallback; see redis_script.hpp.
#include "cache/internal/redis_script.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace utxoiq::cache {

std::string sha1_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("SHA-1 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

RedisScript::RedisScript(std::string source)
    : source_(std::move(source)), sha1_(sha1_hex(source_)) {}

Task<RedisReply> RedisScript::run(RedisCommands& redis, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args) const {
  const auto build = [&](const char* verb, const std::string& script) {
    std::vector<std::string> command;
    command.reserve(3 + keys.size() + args.size());
    command.emplace_back(verb);
    command.push_back(script);
    command.push_back(std::to_string(keys.size()));
    command.insert(command.end(), keys.begin(), keys.end());
    command.insert(command.end(), args.begin(), args.end());
    return command;
  };
  RedisReply reply = co_await redis.command(build("EVALSHA", sha1_));
  if (reply.is_error_code("NOSCRIPT")) reply = co_await redis.command(build("EVAL", source_));
  co_return reply;
}

}  // namespace utxoiq::cache
