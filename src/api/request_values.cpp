// See request_values.hpp.
#include "api/request_values.hpp"

namespace utxoiq::api {

boost::json::value json_next_cursor(const std::optional<domain::KeysetCursor>& next) {
  if (!next) return nullptr;
  return boost::json::value(domain::encode_cursor(*next));
}

}  // namespace utxoiq::api
