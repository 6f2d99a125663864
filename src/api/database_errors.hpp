#pragma once
// How database failures reach clients: "not available right now" (connection lost, pool exhausted,
// statement timeout) is 503 problem+json with Retry-After — never the driver's message, SQL text
// or connection string; the cause is logged with the request id by the server.
#include <exception>
#include <optional>

#include "http/problem.hpp"

namespace utxoiq::api {

std::optional<http::Problem> map_database_error(const std::exception& error);

}  // namespace utxoiq::api
