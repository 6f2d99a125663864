#pragma once
// One read-your-writes token on the feed between instances (app/ryw_token_feed.hpp): the WAL
// position first, then the API key id, "<lsn> <key>", e.g. "0/3000148 0190f1c2-...". The position
// first so that the key may hold any byte (everything after the first space is the key).
#include <optional>
#include <string>
#include <string_view>

#include "pg/lsn.hpp"

namespace utxoiq::app {

struct RywTokenMessage {
  std::string key;
  pg::Lsn lsn;

  bool operator==(const RywTokenMessage&) const = default;
};

std::string encode_token_message(std::string_view key, pg::Lsn lsn);
// nullopt for anything else: no space, an unreadable position, an empty key, or the position
// that stands for "unknown" (pg::kUnknownToken, never sent: it would keep a key on the primary).
std::optional<RywTokenMessage> decode_token_message(std::string_view text);

}  // namespace utxoiq::app
