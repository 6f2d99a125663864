// JSON form of invalidation messages; see invalidation_message.hpp.
#include "cache/invalidation_message.hpp"

#include <boost/json.hpp>

namespace utxoiq::cache {
namespace {

bool read_strings(const boost::json::object& object, std::string_view name,
                  std::vector<std::string>& out) {
  const auto* field = object.if_contains(name);
  if (field == nullptr) return true;  // absent: none
  const auto* array = field->if_array();
  if (array == nullptr) return false;
  out.reserve(array->size());
  for (const auto& element : *array) {
    const auto* text = element.if_string();
    if (text == nullptr) return false;
    out.emplace_back(*text);
  }
  return true;
}

}  // namespace

std::string encode(const InvalidationMessage& message) {
  boost::json::array keys(message.keys.begin(), message.keys.end());
  boost::json::array tags(message.tags.begin(), message.tags.end());
  return boost::json::serialize(boost::json::object{{"origin", message.origin},
                                                    {"keys", std::move(keys)},
                                                    {"tags", std::move(tags)},
                                                    {"flush", message.flush}});
}

std::optional<InvalidationMessage> decode_invalidation(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec) return std::nullopt;
  const auto* object = value.if_object();
  if (object == nullptr) return std::nullopt;
  InvalidationMessage message;
  const auto* origin = object->if_contains("origin");
  if (origin == nullptr || !origin->is_string()) return std::nullopt;
  message.origin = std::string(origin->get_string());
  if (!read_strings(*object, "keys", message.keys)) return std::nullopt;
  if (!read_strings(*object, "tags", message.tags)) return std::nullopt;
  if (const auto* flush = object->if_contains("flush")) {
    if (!flush->is_bool()) return std::nullopt;
    message.flush = flush->get_bool();
  }
  return message;
}

}  // namespace utxoiq::cache
