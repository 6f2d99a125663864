// See api_docs.hpp.
#include "api/api_docs.hpp"

namespace utxoiq::api {

void ApiDocs::describe(std::string route_name, RouteDoc doc) {
  docs_.insert_or_assign(std::move(route_name), std::move(doc));
}

const RouteDoc* ApiDocs::find(std::string_view route_name) const {
  const auto it = docs_.find(std::string(route_name));
  return it == docs_.end() ? nullptr : &it->second;
}

void ApiDocs::add_schema(std::string name, std::string json_schema) {
  schemas_.insert_or_assign(std::move(name), std::move(json_schema));
}

}  // namespace utxoiq::api
