#pragma once
// Turning an exception that escaped a handler or middleware into the response the client gets.
#include <exception>
#include <span>

#include "http/middleware.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace utxoiq::http {

// A Problem is rendered as it is. Otherwise the mappers are asked in order; the first problem
// one returns is rendered (and the exception logged at warn). Anything else is a 500 whose body
// says only that an internal error occurred: no message, type, stack, SQL or connection string.
// Its text is logged at error level with the request id so an operator can find it.
Response response_for_exception(std::exception_ptr error, const Request& request,
                                std::span<const ExceptionMapper> mappers = {});

}  // namespace utxoiq::http
