// RedisReply helpers; see redis_reply.hpp.
#include "cache/redis_reply.hpp"

#include <charconv>

namespace utxoiq::cache {

bool RedisReply::is_error_code(std::string_view code) const {
  if (type != Type::error || !std::string_view(text).starts_with(code)) return false;
  return text.size() == code.size() || text[code.size()] == ' ';
}

std::optional<std::string_view> RedisReply::as_text() const {
  if (type == Type::string || type == Type::status) return std::string_view(text);
  return std::nullopt;
}

std::optional<std::int64_t> RedisReply::as_integer() const {
  if (type == Type::integer) return integer;
  if (type != Type::string && type != Type::status) return std::nullopt;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string RedisReply::describe() const {
  switch (type) {
    case Type::nil:
      return "(nil)";
    case Type::status:
      return "+" + text;
    case Type::error:
      return "-" + text;
    case Type::integer:
      return ":" + std::to_string(integer);
    case Type::string:
      return "\"" + text + "\"";
    case Type::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out += ", ";
        out += elements[i].describe();
      }
      return out + "]";
    }
  }
  return "?";
}

}  // namespace utxoiq::cache
