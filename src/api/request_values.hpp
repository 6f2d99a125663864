#pragma once
// Small helpers every resource's handlers share: the outcome of domain validation as the value or
// a 422 problem naming every invalid field, the request's query as the domain's QueryParams, and
// a page's next cursor as JSON.
#include <boost/json/value.hpp>
#include <optional>
#include <utility>

#include "domain/cursor.hpp"
#include "domain/query_params.hpp"
#include "domain/validated.hpp"
#include "http/problem.hpp"
#include "http/request.hpp"

namespace utxoiq::api {

// The validated value; throws 422 with every invalid field otherwise.
template <typename T>
T valid_or_422(domain::Validated<T> validated) {
  if (!validated.ok()) throw http::unprocessable(std::move(validated).errors());
  return std::move(validated).value();
}

inline domain::QueryParams query_of(const http::Request& request) {
  return domain::QueryParams(request.query_params);
}

// The encoded cursor, or null on the last page.
boost::json::value json_next_cursor(const std::optional<domain::KeysetCursor>& next);

}  // namespace utxoiq::api
