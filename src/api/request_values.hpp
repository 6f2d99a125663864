#pragma once
// Small helpers every resource's handlers share: the outcome of domain validation as the value or
// a 422 problem naming every invalid field, the request's query as the domain's QueryParams, and
// a page's next cursor as JSON.
//
// valid_or_422 is the one validation path of the API: a handler validates every part of a request
// (path, query, headers, body) with the domain, then passes all the outcomes to one call, so a
// request with several bad parts gets one 422 naming every invalid field, before anything is read
// or written.
#include <boost/json/value.hpp>
#include <optional>
#include <utility>

#include "domain/cursor.hpp"
#include "domain/query_params.hpp"
#include "domain/validated.hpp"
#include "http/problem.hpp"
#include "http/request.hpp"

namespace utxoiq::api {

// Throws one 422 naming the invalid fields of every part, when any part is invalid. For a request
// validated in several parts (path and body, header and body):
//   auto id = domain::parse_job_id(...);
//   auto body = domain::parse_fail_job(...);
//   all_valid_or_422(id, body);  // then id.value(), body.value()
template <typename... T>
void all_valid_or_422(const domain::Validated<T>&... parts) {
  FieldErrors errors;
  const auto collect = [&errors](const auto& part) {
    errors.insert(errors.end(), part.errors().begin(), part.errors().end());
  };
  (collect(parts), ...);
  if (!errors.empty()) throw http::unprocessable(std::move(errors));
}

// The validated value; throws 422 with every invalid field otherwise.
template <typename T>
T valid_or_422(domain::Validated<T> validated) {
  all_valid_or_422(validated);
  return std::move(validated).value();
}

inline domain::QueryParams query_of(const http::Request& request) {
  return domain::QueryParams(request.query_params);
}

// The encoded cursor, or null on the last page.
boost::json::value json_next_cursor(const std::optional<domain::KeysetCursor>& next);

}  // namespace utxoiq::api
