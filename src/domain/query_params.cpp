// Linear lookups: requests carry a handful of parameters, fewer than a map would pay off for.
#include "domain/query_params.hpp"

namespace utxoiq::domain {

std::size_t QueryParams::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto& [key, value] : views_) n += key == name;
  for (const auto& [key, value] : owned_) n += key == name;
  return n;
}

std::optional<std::string_view> QueryParams::find(std::string_view name) const {
  for (const auto& [key, value] : views_) {
    if (key == name) return value;
  }
  for (const auto& [key, value] : owned_) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace utxoiq::domain
