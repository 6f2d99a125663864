// "<lsn> <key>" on the token feed; see ryw_token_message.hpp.
#include "app/ryw_token_message.hpp"

#include "pg/ryw_tokens.hpp"

namespace utxoiq::app {

std::string encode_token_message(std::string_view key, pg::Lsn lsn) {
  std::string text = pg::format_lsn(lsn);
  text += ' ';
  text += key;
  return text;
}

std::optional<RywTokenMessage> decode_token_message(std::string_view text) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos || space + 1 == text.size()) return std::nullopt;
  const auto lsn = pg::parse_lsn(text.substr(0, space));
  if (!lsn || *lsn == pg::kUnknownToken) return std::nullopt;
  return RywTokenMessage{std::string(text.substr(space + 1)), *lsn};
}

}  // namespace utxoiq::app
