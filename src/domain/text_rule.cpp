// Text checks without regex: one pass over the bytes for the charset, one for UTF-8 and length.
#include "domain/text_rule.hpp"

#include <cstring>

#include "util/utf8.hpp"

namespace utxoiq::domain {

namespace {

bool in_charset(unsigned char c, Charset charset) {
  const bool digit = c >= '0' && c <= '9';
  const bool lower = c >= 'a' && c <= 'z';
  switch (charset) {
    case Charset::any:
      return true;
    case Charset::lower_identifier:
      return lower || digit || c == '_';
    case Charset::metric_name:
      return lower || digit || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == ':' ||
             c == '-';
  }
  return false;
}

std::string_view charset_description(Charset charset) {
  switch (charset) {
    case Charset::lower_identifier:
      return "must contain only a-z, 0-9 and _";
    case Charset::metric_name:
      return "must contain only A-Z, a-z, 0-9, _, ., : and -";
    case Charset::any:
      break;
  }
  return "";
}

std::string length_message(const TextRule& rule) {
  if (rule.min_chars == 0)
    return "must be at most " + std::to_string(rule.max_chars) + " characters";
  return "must be " + std::to_string(rule.min_chars) + " to " + std::to_string(rule.max_chars) +
         " characters";
}

}  // namespace

std::optional<std::string> check_text(std::string_view text, const TextRule& rule) {
  if (rule.charset != Charset::any) {
    // The charsets are ASCII, so bytes are code points here.
    for (const char c : text) {
      if (!in_charset(static_cast<unsigned char>(c), rule.charset)) {
        return std::string(charset_description(rule.charset));
      }
    }
    if (text.size() < rule.min_chars || text.size() > rule.max_chars) return length_message(rule);
    return std::nullopt;
  }
  const std::optional<std::size_t> length = utf8_length(text);
  if (!length) return "must be valid UTF-8";
  if (!text.empty() && std::memchr(text.data(), 0, text.size()) != nullptr) {
    return "must not contain NUL characters";
  }
  if (*length < rule.min_chars || *length > rule.max_chars) return length_message(rule);
  return std::nullopt;
}

}  // namespace utxoiq::domain
