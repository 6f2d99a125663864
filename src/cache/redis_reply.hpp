#pragma once
// One Redis reply (RESP2) as a plain value, so code above the client never sees hiredis types.
// Error replies are values too (type error), not exceptions: "NOSCRIPT", "WRONGTYPE" or a script's
// own error are answers of a healthy server, which the caller decides about; exceptions are kept
// for "the server did not answer" (redis_errors.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace utxoiq::cache {

struct RedisReply {
  enum class Type { nil, status, error, integer, string, array };

  Type type = Type::nil;
  std::string text;  // status, error and string replies
  std::int64_t integer = 0;
  std::vector<RedisReply> elements;  // array replies

  static RedisReply nil() { return {}; }
  static RedisReply status(std::string s) { return {Type::status, std::move(s), 0, {}}; }
  static RedisReply error(std::string s) { return {Type::error, std::move(s), 0, {}}; }
  static RedisReply integer_value(std::int64_t v) { return {Type::integer, {}, v, {}}; }
  static RedisReply string(std::string s) { return {Type::string, std::move(s), 0, {}}; }
  static RedisReply array(std::vector<RedisReply> e) { return {Type::array, {}, 0, std::move(e)}; }

  bool is_nil() const { return type == Type::nil; }
  bool is_error() const { return type == Type::error; }
  bool is_array() const { return type == Type::array; }
  // An error reply whose code (first word) is `code`: is_error_code("NOSCRIPT").
  bool is_error_code(std::string_view code) const;
  // The text of a string or status reply; nullopt for any other type.
  std::optional<std::string_view> as_text() const;
  // An integer reply, or a string/status reply holding a decimal integer; nullopt otherwise.
  std::optional<std::int64_t> as_integer() const;

  // For logs and test failures: +OK, -ERR ..., :42, "text", (nil), [a, b].
  std::string describe() const;
};

}  // namespace utxoiq::cache
