#pragma once
// Reading a request body as a JSON object, the shape of every request body of the API. Arrays are
// bounded while parsing (kMaxJsonArrayItems), so no body can hold the event loop for long.
#include <boost/json/object.hpp>
#include <cstddef>

#include "http/request.hpp"

namespace utxoiq::http {

// No array of any request body of the API may hold more (metrics/batch is the largest, 1–10,000):
// the parse stops at element 10,001 and answers 422 naming the top-level field holding it.
inline constexpr std::size_t kMaxJsonArrayItems = 10'000;

// The body parsed as a JSON object. Throws Problem 400 when the body is empty, is not valid JSON
// (or not UTF-8), or is JSON that is not an object (null, a number, a string, an array, a boolean).
boost::json::object parse_json_object(const Request& request);
// The same, with the parsed JSON allocated from `storage` (e.g. a monotonic_resource that lives
// as long as the request: a large body parses about twice as fast). Copies of its members made
// with their copy constructors use that storage too.
boost::json::object parse_json_object(const Request& request, boost::json::storage_ptr storage);

}  // namespace utxoiq::http
