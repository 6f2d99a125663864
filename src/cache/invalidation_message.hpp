#pragma once
// What one instance tells the others over the invalidation channel: which keys and tags to drop
// from their L1 (or everything, `flush`), and who sent it (an instance ignores its own messages:
// it applied them locally before publishing). JSON, so any key text survives the trip.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace utxoiq::cache {

struct InvalidationMessage {
  std::string origin;  // instance id of the sender
  std::vector<std::string> keys;
  std::vector<std::string> tags;
  bool flush = false;  // drop every L1 entry

  bool operator==(const InvalidationMessage&) const = default;
};

// {"origin":"...","keys":[...],"tags":[...],"flush":false}
std::string encode(const InvalidationMessage& message);
// nullopt for anything that is not such an object (a message from a future version or a stranger
// on the channel is ignored, never trusted half-way).
std::optional<InvalidationMessage> decode_invalidation(std::string_view text);

}  // namespace utxoiq::cache
