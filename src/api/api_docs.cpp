// See api_docs.hpp.
#include "api/api_docs.hpp"

#include <cassert>
#include <string>

#include "api/schema.hpp"
#include "domain/page.hpp"

namespace utxoiq::api {

std::vector<ParamDoc> with_paging(std::vector<ParamDoc> params, std::int64_t default_limit,
                                  std::int64_t max_limit) {
  assert(1 <= default_limit && default_limit <= max_limit);
  params.push_back({.name = "limit",
                    .schema = schema::integer(1, max_limit),
                    .description = "Default " + std::to_string(default_limit)});
  params.push_back({.name = "cursor", .description = "next_cursor of the previous page"});
  return params;
}

std::vector<ParamDoc> with_paging(std::vector<ParamDoc> params) {
  return with_paging(std::move(params), domain::kDefaultPageLimit, domain::kMaxPageLimit);
}

void ApiDocs::describe(std::string route_name, RouteDoc doc) {
  docs_.insert_or_assign(std::move(route_name), std::move(doc));
}

const RouteDoc* ApiDocs::find(std::string_view route_name) const {
  const auto it = docs_.find(std::string(route_name));
  return it == docs_.end() ? nullptr : &it->second;
}

void ApiDocs::add_schema(std::string name, boost::json::object json_schema) {
  schemas_.insert_or_assign(std::move(name), std::move(json_schema));
}

}  // namespace utxoiq::api
